/**
 * cache.ts: the page cache, a bounded LRU map from page id to page: a PageView (the page's
 * checked bytes, searched in place) or a Node (decoded, because it is being changed).
 *
 * A JavaScript Map iterates in insertion order, so re-inserting a page on every hit keeps the
 * least recently used page first: eviction takes the first entry. The cache itself never
 * writes: the pager decides what to do with a dirty victim (write it out first).
 *
 * Invariant: a dirty node is always in the cache (the pager writes it before evicting it);
 * a PageView is never dirty.
 */
import type { CachedPage } from './page-search.js';

/** An LRU map of page id to page. */
export class PageCache {
  private readonly map = new Map<number, CachedPage>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  /** The node for `id`, marked most recently used; undefined on a miss. Counts hits and misses. */
  get(id: number): CachedPage | undefined {
    const n = this.map.get(id);
    if (n) {
      this.map.delete(id);
      this.map.set(id, n);
      this.hits++;
    } else this.misses++;
    return n;
  }

  /** The node for `id` without touching its recency or the counters (for inspect and checks). */
  peek(id: number): CachedPage | undefined {
    return this.map.get(id);
  }

  /** Adds or replaces a node as most recently used. */
  set(node: CachedPage): void {
    this.map.delete(node.id);
    this.map.set(node.id, node);
  }

  /** Puts `node` in place of the page cached under its id, keeping that page's recency. */
  replace(node: CachedPage): void {
    if (this.map.has(node.id)) this.map.set(node.id, node);
    else this.set(node);
  }

  /** Removes a page (freed pages leave the cache at once). */
  delete(id: number): CachedPage | undefined {
    const n = this.map.get(id);
    this.map.delete(id);
    return n;
  }

  /** The least recently used node, the next to evict. */
  oldest(): CachedPage | undefined {
    const first = this.map.values().next();
    return first.done ? undefined : first.value;
  }

  /** The least recently used clean node (after a failed write, the only kind evicted). */
  oldestClean(): CachedPage | undefined {
    for (const n of this.map.values()) if (!n.dirty) return n;
    return undefined;
  }

  /** Cached pages. */
  get size(): number {
    return this.map.size;
  }

  /** True when over capacity. */
  get over(): boolean {
    return this.map.size > this.capacity;
  }

  /** The nodes, least recently used first. */
  nodes(): IterableIterator<CachedPage> {
    return this.map.values();
  }

  /** Forgets every page. */
  clear(): void {
    this.map.clear();
  }
}
