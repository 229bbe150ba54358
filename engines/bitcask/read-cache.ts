/**
 * read-cache.ts: a bounded cache of data-file blocks (4 KiB, aligned), shared by every
 * data file of a store, so a get of a record read before costs no system call (every real
 * store keeps such a cache, in its own process or in the kernel's page cache; this one is in
 * the process, and stats() counts it in memoryBytes).
 *
 * Only whole blocks are cached: a block is cached once every byte of it has been written
 * (it lies below the file's size), and data files are append-only, so a cached block never
 * changes. A file's blocks are dropped when a merge removes it (evictFile). The bytes that
 * come back are checked exactly as a read from the file is (the record's CRC, its key, its
 * sequence number): the cache saves the read, never a check.
 *
 * Admission, not eviction: a miss reads the blocks the record spans and caches them while
 * there is room; once the cache is full a miss reads only the record, as an uncached get
 * does, and the cache keeps what it holds (until a merge removes a file). Measured on random
 * gets over more data than the cache holds, replacing blocks on every miss (LRU) cost more
 * than it saved (each miss then read, copied and dropped 4-8 KiB to serve ~130 bytes), while
 * this never does worse than no cache by more than a Map lookup.
 *
 * Keyed by file id and block number packed into one number (id * 2^32 + block: exact for
 * ids below 2^21 and files below 16 TiB).
 */
import type { FileHandle } from '../storage/fs.js';

/** Bytes per cached block. */
export const READ_BLOCK = 4096;
/** A record longer than this is read directly, around the cache. */
const MAX_CACHED_READ = 64 * 1024;
const SPAN = 2 ** 32;

/** The block cache of a bitcask store. */
export class ReadCache {
  private readonly map = new Map<number, Uint8Array>();
  /** The buffer a read assembled from cached blocks is copied into (reused by every get). */
  private buf = new Uint8Array(READ_BLOCK * 2);
  /** Bytes of blocks held. */
  bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  /**
   * `size` bytes at `at` of data file `id` (of `fileSize` bytes, read through `h`): from
   * cached blocks when every block it spans is cached, else one read of those blocks, which
   * are then cached. The result may be the reused buffer: valid until the next read.
   */
  read(id: number, h: FileHandle, fileSize: number, at: number, size: number): Uint8Array {
    if (this.capacity <= 0 || size > MAX_CACHED_READ) return h.read(at, size);
    const first = Math.floor(at / READ_BLOCK);
    const last = Math.floor((at + size - 1) / READ_BLOCK);
    // Step 1: every block in the cache? Then copy the record out of them.
    let all = true;
    for (let b = first; b <= last && all; b++) all = this.map.has(id * SPAN + b);
    if (all) {
      this.hits++;
      if (this.buf.length < size) this.buf = new Uint8Array(Math.max(size, this.buf.length * 2));
      let o = 0;
      for (let b = first; b <= last; b++) {
        const block = this.map.get(id * SPAN + b)!;
        const from = b === first ? at - b * READ_BLOCK : 0;
        const to = Math.min(block.length, at + size - b * READ_BLOCK);
        this.buf.set(block.subarray(from, to), o);
        o += to - from;
      }
      return this.buf.subarray(0, size);
    }
    // Step 2: a full cache: read just the record.
    this.misses++;
    if (this.bytes + (last - first + 1) * READ_BLOCK > this.capacity) return h.read(at, size);
    // Step 3: one read of the blocks the record spans (up to the end of the file), cached.
    const start = first * READ_BLOCK;
    const got = h.read(start, Math.min((last + 1) * READ_BLOCK, fileSize) - start);
    for (let b = first; b <= last; b++) {
      const from = (b - first) * READ_BLOCK;
      // Only a whole, fully written block is cached.
      if (from + READ_BLOCK <= got.length && (b + 1) * READ_BLOCK <= fileSize)
        this.put(id * SPAN + b, got.slice(from, from + READ_BLOCK));
    }
    return got.subarray(at - start, at - start + size);
  }

  /** Caches a block (the caller checked there is room). */
  private put(k: number, block: Uint8Array): void {
    if (this.map.has(k)) return;
    this.map.set(k, block);
    this.bytes += block.length;
  }

  /** Drops every block of a removed file. */
  evictFile(id: number): void {
    for (const [key, b] of this.map) {
      if (Math.floor(key / SPAN) === id) {
        this.map.delete(key);
        this.bytes -= b.length;
      }
    }
  }

  /** Blocks held. */
  get blocks(): number {
    return this.map.size;
  }
}
