/**
 * block-cache.ts: a bounded LRU cache of parsed data blocks, shared by every SSTable
 * (LevelDB's block cache, `blockCacheBytes`, default 8 MiB).
 *
 * Keyed by file number and block offset, packed into one number (file * 2^32 + offset: exact while
 * file numbers stay below 2^21; a block at an offset past 4 GiB is simply never cached; no string is built per get);
 * charged by the block's size in bytes. A JS Map keeps
 * insertion order, so re-inserting on every hit makes its first key the least recently used.
 * File numbers are never reused, so entries of a deleted file can never be returned; they
 * simply age out (or are dropped at once by evictFile()).
 */
import type { Block } from './block.js';

/** The key space of one file's block offsets. */
const SPAN = 2 ** 32;

/** The LRU block cache. */
export class BlockCache {
  private readonly map = new Map<number, Block>();
  /** Bytes currently charged. */
  bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  /** The cached block, marked most recently used; undefined on a miss. */
  get(file: number, offset: number): Block | undefined {
    if (offset >= SPAN) return undefined;
    const k = file * SPAN + offset;
    const b = this.map.get(k);
    if (!b) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(k);
    this.map.set(k, b);
    return b;
  }

  /** Caches a block, then evicts least recently used blocks until under capacity. */
  put(file: number, offset: number, block: Block): void {
    if (this.capacity <= 0 || offset >= SPAN) return;
    const k = file * SPAN + offset;
    const old = this.map.get(k);
    if (old) {
      this.bytes -= old.size;
      this.map.delete(k);
    }
    this.map.set(k, block);
    this.bytes += block.size;
    for (const [key, b] of this.map) {
      if (this.bytes <= this.capacity) break;
      this.map.delete(key);
      this.bytes -= b.size;
    }
  }

  /** Drops every block of a deleted file. */
  evictFile(file: number): void {
    for (const [key, b] of this.map) {
      if (Math.floor(key / SPAN) === file) {
        this.map.delete(key);
        this.bytes -= b.size;
      }
    }
  }

  /** Blocks held. */
  get blocks(): number {
    return this.map.size;
  }
}
