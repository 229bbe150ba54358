/**
 * table-reader.ts: reads one SSTable (LevelDB's table.cc). Layout in format.ts.
 *
 * Opening a table reads its footer, then its index block and filter block, which stay in
 * memory for as long as the table is open: that is the per-file memory the engine spends.
 * Data blocks are read on demand, checked against their checksum, and kept in the shared
 * block cache. Both kinds of block are read with block.ts's Block.
 *
 * A point lookup: (1) ask the bloom filter; "no" ends it without touching a data block;
 * (2) binary-search the index for the first block whose last key is >= the key; (3) read
 * that one block (or find it in the cache) and binary-search its restart points. So a get
 * reads at most one data block per table.
 *
 * The table is opened lazily, on its first use, so opening a store reads no table.
 */
import { compareBytes as compare, display } from '../bytes.js';
import { corrupt } from '../errors.js';
import type { FileHandle, FileSystem } from '../storage/fs.js';
import type { TraceListener } from '../registry-types.js';
import { Block } from './block.js';
import { BloomFilter } from './bloom.js';
import type { BlockCache } from './block-cache.js';
import { BLOCK_TRAILER, FOOTER, decodeFooter, decodeHandle, verifyBlock, type BlockHandle, type Entry, type FileMeta } from './format.js';

/** An open SSTable. */
export class TableReader {
  private handle: FileHandle | undefined;
  private index: Block | undefined;
  private handles: BlockHandle[] = [];
  private filter: BloomFilter | undefined;
  /** Bloom checks asked of this table, and how many the filter answered "no". */
  bloomChecks = 0;
  bloomNo = 0;
  /** "maybe" answers for keys the table did not hold. */
  bloomFalse = 0;

  constructor(
    private readonly fs: FileSystem,
    readonly path: string,
    readonly name: string,
    readonly meta: FileMeta,
    private readonly cache: BlockCache | undefined,
    private readonly trace: TraceListener | undefined,
  ) {}

  /** Opens the file and loads its index and filter (once). */
  private load(): void {
    if (this.index) return;
    const f = this.fs.open(this.path);
    try {
      const size = f.size();
      if (size !== this.meta.size) throw corrupt(this.name, 0, `the table is ${size} bytes but the manifest says ${this.meta.size}`);
      if (size < FOOTER) throw corrupt(this.name, 0, `the table is ${size} bytes, too short for a footer`);
      const footer = decodeFooter(f.read(size - FOOTER, FOOTER), size, this.name);
      // The filter and the index stay in memory while the table is open.
      const fb = verifyBlock(f.read(footer.filter.offset, footer.filter.size + BLOCK_TRAILER), this.name, footer.filter.offset, 'filter');
      this.filter = new BloomFilter(fb, this.name, footer.filter.offset);
      const ib = verifyBlock(f.read(footer.index.offset, footer.index.size + BLOCK_TRAILER), this.name, footer.index.offset, 'index');
      const index = new Block(ib, this.name, footer.index.offset);
      this.handles = index.values.map((v) => decodeHandle(v, footer.filter.offset, this.name, footer.index.offset));
      for (let i = 1; i < index.keys.length; i++) {
        if (compare(index.keys[i - 1]!, index.keys[i]!) >= 0) throw corrupt(this.name, footer.index.offset, 'the index keys are out of order');
      }
      this.index = index;
      this.handle = f;
    } catch (e) {
      f.close();
      throw e;
    }
  }

  /** The number of data blocks. */
  get blockCount(): number {
    this.load();
    return this.handles.length;
  }

  /** The number of data blocks if the table is open, else undefined (for inspect(): no I/O). */
  loadedBlocks(): number | undefined {
    return this.index ? this.handles.length : undefined;
  }

  /** Bloom filter bits and probes (for inspect()); undefined until the table is opened. */
  filterInfo(): { bits: number; probes: number } | undefined {
    return this.filter ? { bits: this.filter.bits, probes: this.filter.probes } : undefined;
  }

  /** Bytes of memory held: the index and the filter. */
  memory(): number {
    return this.index ? this.index.size + this.filter!.size : 0;
  }

  /** Reads data block `i` (from the cache if it is there). */
  private block(i: number, level: number, fill = true): Block {
    const h = this.handles[i]!;
    const cached = this.cache?.get(this.meta.number, h.offset);
    if (cached) {
      this.trace?.({ type: 'lsm.block.read', file: this.name, level, offset: h.offset, bytes: h.size, entries: cached.entries.length, cache: 'hit' });
      return cached;
    }
    const raw = verifyBlock(this.handle!.read(h.offset, h.size + BLOCK_TRAILER), this.name, h.offset, 'data');
    const b = new Block(raw, this.name, h.offset);
    if (fill) this.cache?.put(this.meta.number, h.offset, b);
    this.trace?.({ type: 'lsm.block.read', file: this.name, level, offset: h.offset, bytes: h.size, entries: b.entries.length, cache: 'miss' });
    return b;
  }

  /** Block `i` with all its entries, checked to lie between its index key and the one before. */
  private fullBlock(i: number, level: number, fill: boolean): Block {
    const b = this.block(i, level, fill);
    if (!b.checked) {
      const e = b.entries;
      const at = this.handles[i]!.offset;
      const last = e[e.length - 1];
      if (!last || compare(last.key, this.index!.keys[i]!) !== 0) throw corrupt(this.name, at, 'a data block does not end at its index key');
      if (i > 0 && compare(e[0]!.key, this.index!.keys[i - 1]!) <= 0) throw corrupt(this.name, at, 'a data block overlaps the block before it');
      b.checked = true;
    }
    return b;
  }

  /** Asks the bloom filter about `key` (traced with its answer). */
  mayContain(key: Uint8Array, level: number): boolean {
    this.load();
    const yes = this.filter!.mayContain(key);
    this.bloomChecks++;
    if (!yes) this.bloomNo++;
    this.trace?.({ type: 'lsm.bloom', file: this.name, level, key: display(key), answer: yes ? 'maybe' : 'no' });
    return yes;
  }

  /** Looks `key` up: its entry (value or tombstone), or undefined. Asks the filter first. */
  get(key: Uint8Array, level: number): Entry | undefined {
    if (!this.mayContain(key, level)) return undefined;
    // The index: the first block whose last key is >= key.
    const i = this.index!.seek(key);
    if (i >= this.handles.length) return this.falsePositive(key, level);
    this.trace?.({ type: 'lsm.index', file: this.name, level, key: display(key), block: i, blocks: this.handles.length, offset: this.handles[i]!.offset });
    const e = this.block(i, level).find(key);
    return e ?? this.falsePositive(key, level);
  }

  /** Counts (and traces) a "maybe" from the filter for a key the table does not hold. */
  private falsePositive(key: Uint8Array, level: number): undefined {
    this.bloomFalse++;
    this.trace?.({ type: 'lsm.get.found', key: display(key), source: 'table', file: this.name, level, result: 'absent', falsePositive: true });
    return undefined;
  }

  /**
   * Entries in order from the first key >= `from` (> when exclusive), or in reverse from the
   * last key <= `from` (< when exclusive). Without `from`, from the start (or the end).
   * A compaction passes fill = false, so its one pass over the table does not flush the
   * block cache of the blocks that gets use (LevelDB's fill_cache = false).
   */
  *entries(level: number, reverse = false, from?: Uint8Array, exclusive = false, fill = true): Generator<Entry> {
    this.load();
    const n = this.handles.length;
    if (!reverse) {
      let i = from ? this.index!.seek(from) : 0;
      if (from && i < n) this.trace?.({ type: 'lsm.index', file: this.name, level, key: display(from), block: i, blocks: n, offset: this.handles[i]!.offset });
      let first = true;
      for (; i < n; i++) {
        const b = this.fullBlock(i, level, fill);
        let j = 0;
        if (first && from) {
          j = b.seekEntry(from);
          if (exclusive && j < b.entries.length && compare(b.entries[j]!.key, from) === 0) j++;
        }
        first = false;
        for (; j < b.entries.length; j++) yield b.entries[j]!;
      }
      return;
    }
    // Reverse: start in the block that would hold `from`, walking blocks backwards.
    let i = from ? Math.min(this.index!.seek(from), n - 1) : n - 1;
    if (from && i >= 0) this.trace?.({ type: 'lsm.index', file: this.name, level, key: display(from), block: i, blocks: n, offset: this.handles[i]!.offset });
    let first = true;
    for (; i >= 0; i--) {
      const b = this.fullBlock(i, level, fill);
      let j = b.entries.length - 1;
      if (first && from) {
        const at = b.seekEntry(from);
        // `at` is the first key >= from; step back unless it is `from` itself and included.
        j = at < b.entries.length && compare(b.entries[at]!.key, from) === 0 && !exclusive ? at : at - 1;
      }
      first = false;
      for (; j >= 0; j--) yield b.entries[j]!;
    }
  }

  /** Closes the file. */
  close(): void {
    this.handle?.close();
    this.handle = undefined;
    this.index = undefined;
    this.filter = undefined;
  }
}
