/**
 * table-reader.ts: reads one SSTable (LevelDB's table.cc). Layout in format.ts.
 *
 * Opening a table reads its footer, then its index block and filter block, which stay in
 * memory (the index as table-index.ts parses it, the filter's bits) for as long as the
 * table is open: that is the per-file memory the engine spends. A table the engine has just
 * written is opened from the writer's own copies of those blocks (adopt()), reading nothing.
 * Data blocks are read on demand, checked against their checksum, and kept in the shared
 * block cache. Both kinds of block are read with block.ts's Block.
 *
 * A point lookup: (1) ask the bloom filter; "no" ends it without touching a data block;
 * (2) binary-search the index for the first block whose last key is >= the key; (3) read
 * that one block (or find it in the cache) and binary-search its restart points. So a get
 * reads at most one data block per table.
 *
 * The store keeps its open tables in a bounded table cache (table-cache.ts), which opens
 * every live table at open and each new one as it is written; a reader made outside it
 * (stats()'s quiet count) opens lazily, on its first use.
 */
import { compareBytes as compare, display } from '../bytes.js';
import { corrupt } from '../errors.js';
import type { FileHandle, FileSystem } from '../storage/fs.js';
import type { TraceListener } from '../registry-types.js';
import { Block } from './block.js';
import { BloomFilter } from './bloom.js';
import type { BlockCache } from './block-cache.js';
import { BLOCK_TRAILER, FOOTER, decodeFooter, verifyBlock, type Entry, type FileMeta, type Footer } from './format.js';
import { TableIndex } from './table-index.js';

/** An open SSTable. */
export class TableReader {
  private handle: FileHandle | undefined;
  private index: TableIndex | undefined;
  private filter: BloomFilter | undefined;
  /** What memory() reports once the table is open. */
  private held = 0;
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
    const f = this.file();
    try {
      const size = f.size();
      if (size !== this.meta.size)
        throw corrupt(this.name, 0, `the table is ${size} bytes but the manifest says ${this.meta.size}`);
      if (size < FOOTER) throw corrupt(this.name, 0, `the table is ${size} bytes, too short for a footer`);
      const footer = decodeFooter(f.read(size - FOOTER, FOOTER), size, this.name);
      // The filter and the index stay in memory while the table is open.
      const fb = verifyBlock(
        f.read(footer.filter.offset, footer.filter.size + BLOCK_TRAILER),
        this.name,
        footer.filter.offset,
        'filter',
      );
      const ib = verifyBlock(
        f.read(footer.index.offset, footer.index.size + BLOCK_TRAILER),
        this.name,
        footer.index.offset,
        'index',
      );
      this.parse(footer, fb, ib);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /**
   * Opens a table from the filter and index blocks its writer just wrote (the same bytes that
   * are in the file, which was fsynced): nothing is read.
   */
  adopt(footer: Footer, filter: Uint8Array, index: Uint8Array): void {
    this.parse(footer, filter, index);
  }

  /** Parses the filter and the index block, checking the index keys are in order. */
  private parse(footer: Footer, fb: Uint8Array, ib: Uint8Array): void {
    const filter = new BloomFilter(fb, this.name, footer.filter.offset);
    const index = new TableIndex(ib, this.name, footer.index.offset, footer.filter.offset);
    this.filter = filter;
    this.index = index;
    this.held = index.memory + filter.size;
  }

  /** The file handle, opened on first use (an adopted table opens it at its first data block). */
  private file(): FileHandle {
    if (!this.handle) this.handle = this.fs.open(this.path);
    return this.handle;
  }

  /** Opens the table now (footer, filter and index read), if it is not open. */
  ensureOpen(): void {
    this.load();
  }

  /** The number of data blocks. */
  get blockCount(): number {
    this.load();
    return this.index!.length;
  }

  /** The number of data blocks if the table is open, else undefined (for inspect(): no I/O). */
  loadedBlocks(): number | undefined {
    return this.index ? this.index.length : undefined;
  }

  /** Bloom filter bits and probes (for inspect()); undefined until the table is opened. */
  filterInfo(): { bits: number; probes: number } | undefined {
    return this.filter ? { bits: this.filter.bits, probes: this.filter.probes } : undefined;
  }

  /**
   * Bytes of memory held while open: the index (its block and per-block arrays) and the
   * filter; 0 until opened.
   */
  memory(): number {
    return this.index ? this.held : 0;
  }

  /** Reads data block `i` (from the cache if it is there). */
  private block(i: number, level: number, fill = true): Block {
    const h = { offset: this.index!.offset(i), size: this.index!.size(i) };
    const cached = this.cache?.get(this.meta.number, h.offset);
    if (cached) {
      this.trace?.({
        type: 'lsm.block.read',
        file: this.name,
        level,
        offset: h.offset,
        bytes: h.size,
        entries: cached.entries.length,
        cache: 'hit',
      });
      return cached;
    }
    const raw = verifyBlock(this.file().read(h.offset, h.size + BLOCK_TRAILER), this.name, h.offset, 'data');
    const b = new Block(raw, this.name, h.offset);
    if (fill) this.cache?.put(this.meta.number, h.offset, b);
    this.trace?.({
      type: 'lsm.block.read',
      file: this.name,
      level,
      offset: h.offset,
      bytes: h.size,
      entries: b.entries.length,
      cache: 'miss',
    });
    return b;
  }

  /** Block `i` with all its entries, checked to lie between its index key and the one before. */
  private fullBlock(i: number, level: number, fill: boolean): Block {
    const b = this.block(i, level, fill);
    if (!b.checked) {
      const e = b.entries;
      const at = this.index!.offset(i);
      const last = e[e.length - 1];
      if (!last || this.index!.compareKey(i, last.key) !== 0)
        throw corrupt(this.name, at, 'a data block does not end at its index key');
      if (i > 0 && this.index!.compareKey(i - 1, e[0]!.key) >= 0)
        throw corrupt(this.name, at, 'a data block overlaps the block before it');
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
    if (i >= this.index!.length) return this.falsePositive(key, level);
    this.trace?.({
      type: 'lsm.index',
      file: this.name,
      level,
      key: display(key),
      block: i,
      blocks: this.index!.length,
      offset: this.index!.offset(i),
    });
    const e = this.block(i, level).find(key);
    return e ?? this.falsePositive(key, level);
  }

  /** Counts (and traces) a "maybe" from the filter for a key the table does not hold. */
  private falsePositive(key: Uint8Array, level: number): undefined {
    this.bloomFalse++;
    this.trace?.({
      type: 'lsm.get.found',
      key: display(key),
      source: 'table',
      file: this.name,
      level,
      result: 'absent',
      falsePositive: true,
    });
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
    const n = this.index!.length;
    if (!reverse) {
      let i = from ? this.index!.seek(from) : 0;
      if (from && i < n)
        this.trace?.({
          type: 'lsm.index',
          file: this.name,
          level,
          key: display(from),
          block: i,
          blocks: n,
          offset: this.index!.offset(i),
        });
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
    if (from && i >= 0)
      this.trace?.({
        type: 'lsm.index',
        file: this.name,
        level,
        key: display(from),
        block: i,
        blocks: n,
        offset: this.index!.offset(i),
      });
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

  /** True once the index and filter are in memory. */
  get isOpen(): boolean {
    return this.index !== undefined;
  }

  /** Closes the file and drops the index and filter. */
  close(): void {
    const h = this.handle;
    this.handle = undefined;
    h?.close();
    this.index = undefined;
    this.filter = undefined;
  }
}
