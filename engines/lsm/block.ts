/**
 * block.ts: a sorted block of key/value entries with prefix-compressed keys and restart
 * points (LevelDB's block_builder.cc and block.cc). Data blocks and the index block share it.
 *
 * Each entry stores only the bytes of its key that differ from the previous key. Every
 * `restartInterval` entries the key is stored whole: a restart point. The offsets of the
 * restart points close the block, so a reader can binary-search them, then scan forward at
 * most `restartInterval` entries. The byte layout is in format.ts.
 *
 * Invariant: keys are added in strictly increasing order (the caller's order).
 */
import { corrupt } from '../errors.js';
import { decodeVarint, putVarint } from '../codec/varint.js';
import { RESTART_BYTES } from './format.js';
import { compareBytes } from '../bytes.js';

/** Builds one block in memory. */
export class BlockBuilder {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private restarts: number[] = [0];
  private sinceRestart = 0;
  private last: Uint8Array = new Uint8Array(0);
  /** Entries added so far. */
  count = 0;

  constructor(private readonly restartInterval: number) {}

  /** Appends an entry whose key sorts after every key added before. */
  add(key: Uint8Array, value: Uint8Array): void {
    // Step 1: share a prefix with the previous key, unless this is a restart point.
    let shared = 0;
    if (this.sinceRestart < this.restartInterval) {
      const n = Math.min(this.last.length, key.length);
      while (shared < n && this.last[shared] === key[shared]) shared++;
    } else {
      this.restarts.push(this.bytes);
      this.sinceRestart = 0;
    }
    // Step 2: three varints, the new key bytes, the value.
    const unshared = key.length - shared;
    const head = new Uint8Array(15);
    let o = putVarint(head, 0, shared);
    o = putVarint(head, o, unshared);
    o = putVarint(head, o, value.length);
    this.push(head.subarray(0, o));
    this.push(key.subarray(shared));
    this.push(value);
    this.last = key;
    this.sinceRestart++;
    this.count++;
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
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    const dv = new DataView(out.buffer);
    for (const r of this.restarts) {
      dv.setUint32(o, r, true);
      o += RESTART_BYTES;
    }
    dv.setUint32(o, this.restarts.length, true);
    return out;
  }

  /** Adds bytes to the block body. */
  private push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.bytes += b.length;
  }
}

/** A parsed block: its entries decoded once, keys whole, values as views into the block. */
export class Block {
  /** Keys in order (whole, after undoing prefix compression). */
  readonly keys: Uint8Array[] = [];
  readonly values: Uint8Array[] = [];
  /** The index in `keys` of each restart point. */
  readonly restartEntries: number[] = [];
  /** The block's size in bytes (for the cache's budget). */
  readonly size: number;
  /** The block's bytes. */
  readonly data: Uint8Array;

  /**
   * Parses a checksum-verified block that starts at `base` in `file`. Every length is
   * checked, so even a crafted block yields KV_CORRUPT, never an out-of-bounds read.
   */
  constructor(data: Uint8Array, file: string, base: number) {
    this.size = data.length;
    this.data = data;
    if (data.length < RESTART_BYTES) throw corrupt(file, base, 'a block is too short for its restart count');
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const nRestarts = dv.getUint32(data.length - RESTART_BYTES, true);
    const restartsAt = data.length - RESTART_BYTES * (nRestarts + 1);
    if (nRestarts === 0 || restartsAt < 0) throw corrupt(file, base + data.length - RESTART_BYTES, `a block claims ${nRestarts} restart points`);
    const restarts = new Set<number>();
    for (let i = 0; i < nRestarts; i++) restarts.add(dv.getUint32(restartsAt + i * RESTART_BYTES, true));
    // Decode every entry, rebuilding each key from the previous one.
    let prev: Uint8Array = new Uint8Array(0);
    let o = 0;
    while (o < restartsAt) {
      const at = o;
      const s = decodeVarint(data, o, restartsAt);
      const u = s && decodeVarint(data, s.next, restartsAt);
      const v = u && decodeVarint(data, u.next, restartsAt);
      if (!s || !u || !v) throw corrupt(file, base + at, 'a block entry has a bad length field');
      if (s.value > prev.length) throw corrupt(file, base + at, `a block entry shares ${s.value} bytes with a ${prev.length}-byte key`);
      if (v.next + u.value + v.value > restartsAt) throw corrupt(file, base + at, 'a block entry runs past the end of the block');
      if (restarts.has(at)) {
        if (s.value !== 0) throw corrupt(file, base + at, 'a restart entry shares bytes with the key before it');
        this.restartEntries.push(this.keys.length);
      }
      const key = new Uint8Array(s.value + u.value);
      key.set(prev.subarray(0, s.value), 0);
      key.set(data.subarray(v.next, v.next + u.value), s.value);
      this.keys.push(key);
      this.values.push(data.subarray(v.next + u.value, v.next + u.value + v.value));
      prev = key;
      o = v.next + u.value + v.value;
    }
    if (this.restartEntries.length !== nRestarts) throw corrupt(file, base + restartsAt, 'a restart offset does not point at an entry');
  }

  /** The number of entries. */
  get length(): number {
    return this.keys.length;
  }

  /**
   * The index of the first entry whose key, as `keyOf(i)` maps entry i, is >= `target` (or
   * length): binary search over the restart points, then a scan of one restart interval.
   */
  seek(target: Uint8Array, keyOf: (i: number) => Uint8Array = (i) => this.keys[i]!): number {
    // Step 1: the last restart point whose key is < target.
    let lo = 0;
    let hi = this.restartEntries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (compareBytes(keyOf(this.restartEntries[mid]!), target) < 0) lo = mid;
      else hi = mid - 1;
    }
    // Step 2: scan forward from it.
    let i = this.restartEntries[lo]!;
    while (i < this.keys.length && compareBytes(keyOf(i), target) < 0) i++;
    return i;
  }
}
