/**
 * table-reader.ts: reads one SSTable (LevelDB's table.cc). Layout in format.ts.
 *
 * Opening a table reads its footer, then its index block and filter block, which stay in
 * memory for as long as the table is open: that is the per-file memory the engine spends.
 * Data blocks are read on demand, checked against their checksum, and kept in the shared
 * block cache.
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
import type { TraceListener } from '../trace.js';
import { Block } from './block.js';
import { BloomFilter } from './bloom.js';
import type { BlockCache } from './block-cache.js';
import { decodeVarint } from '../codec/varint.js';
import { BLOCK_TRAILER, FOOTER, RESTART_BYTES, TRAILER, decodeFooter, decodeHandle, decodeInternalKey, verifyBlock, type BlockHandle, type Entry, type FileMeta } from './format.js';

/**
 * A verified data block. A point lookup works on its bytes directly: binary search over the
 * restart points (whose keys are stored whole), then a scan of at most one restart interval,
 * rebuilding each key from the one before. Iterators need every entry, so `entries` decodes
 * the whole block once, on first use.
 */
export class DataBlock {
  private readonly restarts: number[] = [];
  /** Where the restart array starts: the end of the entries. */
  private readonly end: number;
  private decoded: Entry[] | undefined;
  /** True once the block has been checked against its index entry. */
  checked = false;

  private readonly data: Uint8Array;

  /** Wraps a verified block's bytes (or an already parsed Block, whose entries are then used). */
  constructor(
    block: Uint8Array | Block,
    private readonly file: string,
    private readonly base: number,
  ) {
    const data = block instanceof Block ? block.data : block;
    this.data = data;
    if (data.length < RESTART_BYTES) throw corrupt(file, base, 'a block is too short for its restart count');
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const n = dv.getUint32(data.length - RESTART_BYTES, true);
    this.end = data.length - RESTART_BYTES * (n + 1);
    if (n === 0 || this.end < 0) throw corrupt(file, base + data.length - RESTART_BYTES, `a block claims ${n} restart points`);
    // Restart offsets: the first at 0, strictly increasing, inside the entries.
    for (let i = 0; i < n; i++) {
      const r = dv.getUint32(this.end + i * RESTART_BYTES, true);
      if ((i === 0 && r !== 0) || (i > 0 && r <= this.restarts[i - 1]!) || r >= this.end) throw corrupt(file, base + this.end + i * RESTART_BYTES, `restart offset ${r} is out of place`);
      this.restarts.push(r);
    }
    if (block instanceof Block) this.decoded = this.decode(block);
  }

  /** Bytes charged to the block cache. */
  get size(): number {
    return this.data.length;
  }

  /** Every entry in key order (decoded once, then kept). */
  get entries(): Entry[] {
    this.decoded ??= this.decode(new Block(this.data, this.file, this.base));
    return this.decoded;
  }

  /** The entries of the parsed block, checked to be in strictly increasing key order. */
  private decode(block: Block): Entry[] {
    const out = block.keys.map((ik, i) => ({ ...decodeInternalKey(ik, this.file, this.base), value: block.values[i]! }));
    // Keys must be strictly increasing: a table holds one entry per key.
    for (let i = 1; i < out.length; i++) {
      if (compare(out[i - 1]!.key, out[i]!.key) >= 0) throw corrupt(this.file, this.base, 'the keys of a data block are out of order');
    }
    return out;
  }

  /** The index of the first entry with key >= `key` (decoding the whole block). */
  seek(key: Uint8Array): number {
    const e = this.entries;
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(e[mid]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The entry for `target`, found without decoding the whole block, or undefined. */
  find(target: Uint8Array): Entry | undefined {
    const d = this.data;
    // Step 1: the last restart point whose key is < target (restart keys are whole).
    let lo = 0;
    let hi = this.restarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const h = this.header(this.restarts[mid]!);
      if (h.shared !== 0) throw corrupt(this.file, this.base + this.restarts[mid]!, 'a restart entry shares bytes with the key before it');
      if (compare(userKey(d.subarray(h.keyAt, h.keyAt + h.unshared), this.file, this.base), target) < 0) lo = mid;
      else hi = mid - 1;
    }
    // Step 2: scan forward, rebuilding each key from the previous one.
    let prev: Uint8Array = EMPTY_VALUE;
    for (let o = this.restarts[lo]!; o < this.end; ) {
      const h = this.header(o);
      if (h.shared > prev.length) throw corrupt(this.file, this.base + o, `a block entry shares ${h.shared} bytes with a ${prev.length}-byte key`);
      const ik = new Uint8Array(h.shared + h.unshared);
      ik.set(prev.subarray(0, h.shared), 0);
      ik.set(d.subarray(h.keyAt, h.keyAt + h.unshared), h.shared);
      const c = compare(userKey(ik, this.file, this.base + o), target);
      if (c === 0) return { ...decodeInternalKey(ik, this.file, this.base + o), value: d.subarray(h.keyAt + h.unshared, h.next) };
      if (c > 0) return undefined;
      prev = ik;
      o = h.next;
    }
    return undefined;
  }

  /** The three varints of the entry at `o`, checked to fit in the block. */
  private header(o: number): { shared: number; unshared: number; keyAt: number; next: number } {
    const s = decodeVarint(this.data, o, this.end);
    const u = s && decodeVarint(this.data, s.next, this.end);
    const v = u && decodeVarint(this.data, u.next, this.end);
    if (!s || !u || !v || v.next + u.value + v.value > this.end) throw corrupt(this.file, this.base + o, 'a block entry has a bad length field');
    return { shared: s.value, unshared: u.value, keyAt: v.next, next: v.next + u.value + v.value };
  }
}

/** The user key of an internal key (a view). */
function userKey(ik: Uint8Array, file: string, offset: number): Uint8Array {
  if (ik.length < TRAILER) throw corrupt(file, offset, `an internal key of ${ik.length} bytes has no room for its trailer`);
  return ik.subarray(0, ik.length - TRAILER);
}

const EMPTY_VALUE = new Uint8Array(0);

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

  /** The number of data blocks (opens the table). */
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
  private block(i: number, level: number, fill = true): DataBlock {
    const h = this.handles[i]!;
    const cached = this.cache?.get(this.meta.number, h.offset);
    if (cached) {
      this.trace?.({ type: 'lsm.block.read', file: this.name, level, offset: h.offset, bytes: h.size, entries: cached.entries.length, cache: 'hit' });
      return cached;
    }
    const raw = verifyBlock(this.handle!.read(h.offset, h.size + BLOCK_TRAILER), this.name, h.offset, 'data');
    const b = new DataBlock(raw, this.name, h.offset);
    if (fill) this.cache?.put(this.meta.number, h.offset, b);
    this.trace?.({ type: 'lsm.block.read', file: this.name, level, offset: h.offset, bytes: h.size, entries: b.entries.length, cache: 'miss' });
    return b;
  }

  /** Block `i` with all its entries, checked to lie between its index key and the one before. */
  private fullBlock(i: number, level: number, fill: boolean): DataBlock {
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
          j = b.seek(from);
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
        const at = b.seek(from);
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
