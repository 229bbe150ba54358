/**
 * cache.ts: the page cache, a bounded LRU map from page id to page: a PageView (the page's
 * checked bytes, searched in place) or a Node (decoded, because it is being changed).
 *
 * An array indexed by page id finds a page's slot (page ids are dense, below the page count,
 * so this is one indexed load where a Map would chase a hash chain); the slots form a doubly
 * linked list from the least recently used (head) to the most recently used (tail). A hit
 * moves its slot to the tail by relinking four pointers (deleting and re-inserting Map entries
 * on every hit cost more than the rest of a get). Eviction takes the head. The cache itself never writes:
 * the pager decides what to do with a dirty victim (write it out first).
 *
 * Invariant: a dirty node is always in the cache (the pager writes it before evicting it);
 * a PageView is never dirty. The list holds exactly the slots in the array; `count` counts them.
 */
import type { CachedPage } from './page-search.js';

/** One cached page and its neighbours in recency order. */
interface Slot {
  page: CachedPage;
  /** Less recently used. */
  prev: Slot | undefined;
  /** More recently used. */
  next: Slot | undefined;
}

/** An LRU map of page id to page. */
export class PageCache {
  private readonly slots: (Slot | undefined)[] = [];
  private count = 0;
  private head: Slot | undefined;
  private tail: Slot | undefined;
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  /** Takes a slot out of the list. */
  private unlink(s: Slot): void {
    if (s.prev) s.prev.next = s.next;
    else this.head = s.next;
    if (s.next) s.next.prev = s.prev;
    else this.tail = s.prev;
    s.prev = s.next = undefined;
  }

  /** Puts a slot at the tail (most recently used). */
  private push(s: Slot): void {
    s.prev = this.tail;
    s.next = undefined;
    if (this.tail) this.tail.next = s;
    else this.head = s;
    this.tail = s;
  }

  /** The page for `id`, marked most recently used; undefined on a miss. Counts hits and misses. */
  get(id: number): CachedPage | undefined {
    const s = this.slots[id];
    if (s === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    if (s !== this.tail) {
      this.unlink(s);
      this.push(s);
    }
    return s.page;
  }

  /** The page for `id` without touching its recency or the counters (for inspect and checks). */
  peek(id: number): CachedPage | undefined {
    return this.slots[id]?.page;
  }

  /** Adds or replaces a page as most recently used. */
  set(page: CachedPage): void {
    const s = this.slots[page.id];
    if (s) {
      s.page = page;
      if (s !== this.tail) {
        this.unlink(s);
        this.push(s);
      }
      return;
    }
    const slot: Slot = { page, prev: undefined, next: undefined };
    this.slots[page.id] = slot;
    this.count++;
    this.push(slot);
  }

  /** Puts `page` in place of the page cached under its id, keeping that page's recency. */
  replace(page: CachedPage): void {
    const s = this.slots[page.id];
    if (s) s.page = page;
    else this.set(page);
  }

  /** Removes a page (freed pages leave the cache at once). */
  delete(id: number): CachedPage | undefined {
    const s = this.slots[id];
    if (!s) return undefined;
    this.slots[id] = undefined;
    this.count--;
    this.unlink(s);
    return s.page;
  }

  /** The least recently used page, the next to evict. */
  oldest(): CachedPage | undefined {
    return this.head?.page;
  }

  /** The least recently used clean page (after a failed write, the only kind evicted). */
  oldestClean(): CachedPage | undefined {
    for (let s = this.head; s; s = s.next) if (!s.page.dirty) return s.page;
    return undefined;
  }

  /** Cached pages. */
  get size(): number {
    return this.count;
  }

  /** True when over capacity. */
  get over(): boolean {
    return this.count > this.capacity;
  }

  /** The pages, least recently used first. */
  *nodes(): IterableIterator<CachedPage> {
    for (let s = this.head; s;) {
      // Read the next slot first: the caller may delete this page as it goes.
      const next = s.next;
      yield s.page;
      s = next;
    }
  }

  /** Forgets every page. */
  clear(): void {
    this.slots.length = 0;
    this.count = 0;
    this.head = this.tail = undefined;
  }
}
