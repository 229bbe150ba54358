/**
 * block.ts: a sorted block of key/value entries with prefix-compressed keys and restart
 * points (LevelDB's block_builder.cc and block.cc). Data blocks and the index block share it.
 *
 * Each entry stores only the bytes of its key that differ from the previous key. Every
 * `restartInterval` entries the key is stored whole: a restart point. The offsets of the
 * restart points close the block, so a reader can binary-search them, then scan forward at
 * most `restartInterval` entries. The byte layout is in format.ts.
 *
 * Three parts: BlockBuilder writes a block; readEntry is the one reader of an entry's three
 * varints (every reader of a block goes through it: Block below, and so the table reader,
 * the checker, and the describer in table-layout.ts); Block reads a block back, for point
 * lookups on its bytes and for iterators over all its entries.
 *
 * Invariant: keys are added in strictly increasing order (the caller's order).
 */
import { corrupt } from '../errors.js';
import { putVarint } from '../codec/varint.js';
import { RESTART_BYTES, TRAILER, decodeInternalKey, type Entry } from './format.js';
import { compareBytes, compareBytesAt } from '../bytes.js';

/**
 * Builds one block in memory, straight into one growing buffer (no array per entry). The
 * previous key is kept in a buffer of its own, for the prefix the next key shares.
 */
export class BlockBuilder {
  private buf: Uint8Array = new Uint8Array(1024);
  private bytes = 0;
  private restarts: number[] = [0];
  private sinceRestart = 0;
  private last: Uint8Array = new Uint8Array(64);
  private lastLength = 0;
  /** Entries added so far. */
  count = 0;

  constructor(private readonly restartInterval: number) {}

  /** Appends an entry whose key sorts after every key added before. */
  add(key: Uint8Array, value: Uint8Array): void {
    this.addParts(key, key.length, undefined, value);
  }

  /**
   * Appends an entry whose key is `key[0..keyLength)` followed by `trailer` (the internal key's
   * 8-byte seq/kind, when given), without building that key as an array of its own.
   */
  addParts(key: Uint8Array, keyLength: number, trailer: Uint8Array | undefined, value: Uint8Array): void {
    const total = keyLength + (trailer ? trailer.length : 0);
    const at = (i: number): number => (i < keyLength ? key[i]! : trailer![i - keyLength]!);
    // Step 1: share a prefix with the previous key, unless this is a restart point.
    let shared = 0;
    if (this.sinceRestart < this.restartInterval) {
      const n = Math.min(this.lastLength, total);
      while (shared < n && this.last[shared] === at(shared)) shared++;
    } else {
      this.restarts.push(this.bytes);
      this.sinceRestart = 0;
    }
    // Step 2: three varints, the new key bytes, the value, all into the buffer.
    const unshared = total - shared;
    this.reserve(15 + unshared + value.length);
    let o = putVarint(this.buf, this.bytes, shared);
    o = putVarint(this.buf, o, unshared);
    o = putVarint(this.buf, o, value.length);
    for (let i = shared; i < total; i++) this.buf[o++] = at(i);
    this.buf.set(value, o);
    this.bytes = o + value.length;
    // Step 3: remember the key whole.
    if (this.last.length < total) {
      const next = new Uint8Array(Math.max(total, this.last.length * 2));
      next.set(this.last.subarray(0, shared));
      this.last = next;
    }
    for (let i = shared; i < total; i++) this.last[i] = at(i);
    this.lastLength = total;
    this.sinceRestart++;
    this.count++;
  }

  /** Room for `n` more bytes in the buffer. */
  private reserve(n: number): void {
    if (this.bytes + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.bytes + n, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.bytes));
    this.buf = next;
  }

  /** The size the block would have if finished now. */
  estimate(): number {
    return this.bytes + (this.restarts.length + 1) * RESTART_BYTES;
  }

  /** True when nothing was added. */
  empty(): boolean {
    return this.count === 0;
  }

  /** The finished block: entries, restart offsets, restart count. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.estimate());
    out.set(this.buf.subarray(0, this.bytes), 0);
    let o = this.bytes;
    const dv = new DataView(out.buffer);
    for (const r of this.restarts) {
      dv.setUint32(o, r, true);
      o += RESTART_BYTES;
    }
    dv.setUint32(o, this.restarts.length, true);
    return out;
  }

  /** Empties the builder for the next block (keeping its buffers). */
  reset(): void {
    this.bytes = 0;
    this.restarts = [0];
    this.sinceRestart = 0;
    this.lastLength = 0;
    this.count = 0;
  }
}

/**
 * Where the parts of one block entry are: `shared | unshared | value length` (varints), then
 * the key's unshared bytes, then the value. All offsets are within the block.
 */
export interface EntryHeader {
  /** Where the entry starts (its `shared` varint). */
  offset: number;
  /** Key bytes the entry shares with the previous entry's key. */
  shared: number;
  /** Key bytes the entry stores itself, and where its unshared varint starts. */
  unshared: number;
  unsharedAt: number;
  /** The value's length, and where its varint starts. */
  valueLength: number;
  valueLengthAt: number;
  /** Where the key's unshared bytes start (after the three varints). */
  keyAt: number;
  /** Where the value starts, and where the next entry starts. */
  valueAt: number;
  next: number;
}

/**
 * Reads the three varints of the entry at `o` and checks that the entry fits before `end`
 * (the restart array); undefined when a varint is cut short or too long, or the entry runs past.
 */
export function readEntry(data: Uint8Array, o: number, end: number): EntryHeader | undefined {
  // Three LEB128 varints in a row, decoded inline (this is the point lookup's inner loop).
  const v: number[] = [0, 0, 0];
  const starts: number[] = [0, 0, 0];
  let at = o;
  for (let i = 0; i < 3; i++) {
    starts[i] = at;
    let value = 0;
    let scale = 1;
    for (let n = 0; ; n++) {
      if (at >= end || n === 8) return undefined;
      const b = data[at++]!;
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
    }
    if (!Number.isSafeInteger(value)) return undefined;
    v[i] = value;
  }
  const valueAt = at + v[1]!;
  const next = valueAt + v[2]!;
  if (next > end) return undefined;
  return {
    offset: o,
    shared: v[0]!,
    unshared: v[1]!,
    unsharedAt: starts[1]!,
    valueLength: v[2]!,
    valueLengthAt: starts[2]!,
    keyAt: at,
    valueAt,
    next,
  };
}

const EMPTY = new Uint8Array(0);

/** The entry header find() reads into (one per process: blocks are read one at a time). */
const H = { shared: 0, unshared: 0, valueLength: 0, keyAt: 0, valueAt: 0, next: 0 };

/** The buffer find() rebuilds keys in (grown as needed, never shrunk). */
let scratch: Uint8Array = new Uint8Array(256);

/** A copy of `b` with room for at least `n` bytes. */
function grow(b: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(Math.max(n, b.length * 2));
  out.set(b);
  return out;
}

/**
 * A block read back: a checksum-verified block's bytes, with its restart array checked at
 * once (first at 0, strictly increasing, inside the entries). A point lookup (find) works on
 * the bytes directly; everything else decodes every entry once, on first use, checking every
 * length, so even a crafted block yields KV_CORRUPT, never an out-of-bounds read.
 *
 * Data blocks hold internal keys (user key + seq/kind trailer) and values: `entries` and
 * find() read them. The index block holds user keys and block handles: `keys`, `values`
 * and seek() read it.
 */
export class Block {
  /** Where the restart array starts: the end of the entries. */
  private readonly end: number;
  private readonly restarts: number[] = [];
  private decoded: { keys: Uint8Array[]; values: Uint8Array[]; restartEntries: number[] } | undefined;
  private internal: Entry[] | undefined;
  /** The block's bytes. */
  readonly data: Uint8Array;
  /** True once the table reader has checked the block against its index entry. */
  checked = false;

  /** Wraps a verified block that starts at `base` in `file` (for error messages). */
  constructor(
    data: Uint8Array,
    private readonly file: string,
    private readonly base: number,
  ) {
    this.data = data;
    if (data.length < RESTART_BYTES) throw corrupt(file, base, 'a block is too short for its restart count');
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const n = dv.getUint32(data.length - RESTART_BYTES, true);
    this.end = data.length - RESTART_BYTES * (n + 1);
    if (n === 0 || this.end < 0)
      throw corrupt(file, base + data.length - RESTART_BYTES, `a block claims ${n} restart points`);
    // Restart offsets: the first at 0, strictly increasing, inside the entries.
    for (let i = 0; i < n; i++) {
      const r = dv.getUint32(this.end + i * RESTART_BYTES, true);
      if ((i === 0 && r !== 0) || (i > 0 && r <= this.restarts[i - 1]!) || r >= this.end)
        throw corrupt(file, base + this.end + i * RESTART_BYTES, `restart offset ${r} is out of place`);
      this.restarts.push(r);
    }
  }

  /** The block's size in bytes (what the block cache charges). */
  get size(): number {
    return this.data.length;
  }

  /** Keys in order, whole (prefix compression undone). */
  get keys(): Uint8Array[] {
    return this.all().keys;
  }

  /** Values in order, as views into the block. */
  get values(): Uint8Array[] {
    return this.all().values;
  }

  /** The index in `keys` of each restart point. */
  get restartEntries(): number[] {
    return this.all().restartEntries;
  }

  /** The number of entries. */
  get length(): number {
    return this.all().keys.length;
  }

  /** Every entry decoded, each key rebuilt from the one before (once, then kept). */
  private all(): { keys: Uint8Array[]; values: Uint8Array[]; restartEntries: number[] } {
    if (this.decoded) return this.decoded;
    const d = this.data;
    const out = { keys: [] as Uint8Array[], values: [] as Uint8Array[], restartEntries: [] as number[] };
    let prev: Uint8Array = EMPTY;
    let r = 0;
    for (let o = 0; o < this.end;) {
      const h = readEntry(d, o, this.end);
      if (!h)
        throw corrupt(
          this.file,
          this.base + o,
          'a block entry has a bad length field or runs past the end of the block',
        );
      if (h.shared > prev.length)
        throw corrupt(
          this.file,
          this.base + o,
          `a block entry shares ${h.shared} bytes with a ${prev.length}-byte key`,
        );
      if (this.restarts[r] === o) {
        if (h.shared !== 0)
          throw corrupt(this.file, this.base + o, 'a restart entry shares bytes with the key before it');
        out.restartEntries.push(out.keys.length);
        r++;
      }
      const key = new Uint8Array(h.shared + h.unshared);
      key.set(prev.subarray(0, h.shared), 0);
      key.set(d.subarray(h.keyAt, h.valueAt), h.shared);
      out.keys.push(key);
      out.values.push(d.subarray(h.valueAt, h.next));
      prev = key;
      o = h.next;
    }
    if (r !== this.restarts.length)
      throw corrupt(this.file, this.base + this.end, 'a restart offset does not point at an entry');
    this.decoded = out;
    return out;
  }

  /**
   * A data block's entries in key order (internal keys decoded), checked to be in strictly
   * increasing user-key order: a table holds one entry per key. Decoded once, then kept.
   */
  get entries(): Entry[] {
    if (this.internal) return this.internal;
    const { keys, values } = this.all();
    const out = keys.map((ik, i) => ({ ...decodeInternalKey(ik, this.file, this.base), value: values[i]! }));
    for (let i = 1; i < out.length; i++) {
      if (compareBytes(out[i - 1]!.key, out[i]!.key) >= 0)
        throw corrupt(this.file, this.base, 'the keys of a data block are out of order');
    }
    this.internal = out;
    return out;
  }

  /**
   * The index of the first entry whose key, as `keyOf(i)` maps entry i, is >= `target` (or
   * length): binary search over the restart points, then a scan of one restart interval.
   */
  seek(target: Uint8Array, keyOf: (i: number) => Uint8Array = (i) => this.keys[i]!): number {
    const restarts = this.restartEntries;
    // Step 1: the last restart point whose key is < target.
    let lo = 0;
    let hi = restarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (compareBytes(keyOf(restarts[mid]!), target) < 0) lo = mid;
      else hi = mid - 1;
    }
    // Step 2: scan forward from it.
    let i = restarts[lo]!;
    const n = this.length;
    while (i < n && compareBytes(keyOf(i), target) < 0) i++;
    return i;
  }

  /** In a data block: the index of the first entry with user key >= `key` (decoding the whole block). */
  seekEntry(key: Uint8Array): number {
    const e = this.entries;
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(e[mid]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * In a data block: the entry for user key `target`, or undefined, found on the block's
   * bytes with nothing allocated but the answer: the restart points are binary-searched where
   * they lie (their keys are whole), then one restart interval is scanned, each key rebuilt
   * from the one before in a scratch buffer shared by every block and compared in place.
   */
  find(target: Uint8Array): Entry | undefined {
    const d = this.data;
    // Step 1: the last restart point whose key is < target (restart keys are whole).
    let lo = 0;
    let hi = this.restarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const o = this.restarts[mid]!;
      this.head(o);
      if (H.shared !== 0)
        throw corrupt(this.file, this.base + o, 'a restart entry shares bytes with the key before it');
      if (H.unshared < TRAILER)
        throw corrupt(this.file, this.base + o, `an internal key of ${H.unshared} bytes has no room for its trailer`);
      if (compareBytesAt(d, H.keyAt, H.valueAt - TRAILER, target) < 0) lo = mid;
      else hi = mid - 1;
    }
    // Step 2: scan forward, rebuilding each internal key in the scratch buffer.
    let len = 0;
    for (let o = this.restarts[lo]!; o < this.end;) {
      this.head(o);
      if (H.shared > len)
        throw corrupt(this.file, this.base + o, `a block entry shares ${H.shared} bytes with a ${len}-byte key`);
      len = H.shared + H.unshared;
      if (len < TRAILER)
        throw corrupt(this.file, this.base + o, `an internal key of ${len} bytes has no room for its trailer`);
      if (scratch.length < len) scratch = grow(scratch, len);
      scratch.set(d.subarray(H.keyAt, H.valueAt), H.shared);
      const c = compareBytesAt(scratch, 0, len - TRAILER, target);
      if (c === 0)
        return {
          ...decodeInternalKey(scratch.slice(0, len), this.file, this.base + o),
          value: d.subarray(H.valueAt, H.next),
        };
      if (c > 0) return undefined;
      o = H.next;
    }
    return undefined;
  }

  /** Reads the entry header at `o` into H (no allocation), or KV_CORRUPT when it does not fit in the block. */
  private head(o: number): void {
    const d = this.data;
    const end = this.end;
    let at = o;
    for (let i = 0; i < 3; i++) {
      let value = 0;
      let scale = 1;
      for (let n = 0; ; n++) {
        if (at >= end || n === 8) throw corrupt(this.file, this.base + o, 'a block entry has a bad length field');
        const b = d[at++]!;
        value += (b & 0x7f) * scale;
        if ((b & 0x80) === 0) break;
        scale *= 128;
      }
      if (i === 0) H.shared = value;
      else if (i === 1) H.unshared = value;
      else H.valueLength = value;
    }
    H.keyAt = at;
    H.valueAt = at + H.unshared;
    H.next = H.valueAt + H.valueLength;
    if (H.next > end) throw corrupt(this.file, this.base + o, 'a block entry has a bad length field');
  }
}
