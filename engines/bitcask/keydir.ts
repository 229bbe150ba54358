/**
 * keydir.ts: the in-memory hash index from every live key to where its newest value is.
 *
 * Invariants:
 *   - the keydir holds exactly the live keys (a delete removes the entry);
 *   - an entry points at the record with the highest sequence number ever written for its
 *     key, which is a put (were it a tombstone, there would be no entry);
 *   - `valueOffset` is the byte offset of the value inside its data file, so the record
 *     starts at valueOffset - RECORD_HEADER - key length.
 *
 * Keys are held as "binary strings": one UTF-16 code unit per byte (0..255). That string is
 * exact and reversible, hashes well in a Map, and compares with `<` in the same order as
 * memcmp on the bytes (shorter first on a common prefix), so sorting for scans needs no
 * comparator callback.
 */
import { SortedKeys, lowerIndex } from '../sorted-keys.js';

/** Where a key's newest value lives. */
export interface KeydirEntry {
  /** Data file id. */
  file: number;
  /** Offset of the value's first byte in that file. */
  valueOffset: number;
  /** The value's length in bytes. */
  valueSize: number;
  /** The record's sequence number: the newest write wins. */
  seq: number;
}

/**
 * Bytes of bookkeeping per entry on top of the key's own bytes, as measured on V8 (Node 20)
 * with 100,000 11-byte keys (heap growth after a gc: 155 bytes per key in all): the Map
 * slot, the entry object with four numbers, and the key string's header. FORMAT.md gives
 * the measurement.
 */
export const ENTRY_OVERHEAD = 144;

/** The key bytes as a binary string (one code unit per byte). */
export function binKey(b: Uint8Array): string {
  if (b.length <= 64) {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** The bytes of a binary string. */
export function keyBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The keydir: a Map plus a sorted key list that scans bring up to date on demand. */
export class Keydir {
  private readonly map = new Map<string, KeydirEntry>();
  /** The keys in order, kept up to date lazily (see sorted-keys.ts); updates leave it alone. */
  private readonly order = new SortedKeys((k) => this.map.has(k));
  /** Sum of the live keys' lengths, for the memory estimate. */
  private keyBytes = 0;

  /** The number of live keys. */
  get size(): number {
    return this.map.size;
  }

  /** The entry for `key`, or undefined. */
  get(key: string): KeydirEntry | undefined {
    return this.map.get(key);
  }

  /** Points `key` at a new place; returns the entry it replaced. */
  set(key: string, entry: KeydirEntry): KeydirEntry | undefined {
    const old = this.map.get(key);
    this.map.set(key, entry);
    if (!old) {
      this.keyBytes += key.length;
      this.order.add(key);
    }
    return old;
  }

  /** Removes `key`; returns the entry it had. */
  delete(key: string): KeydirEntry | undefined {
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.keyBytes -= key.length;
      this.order.remove();
    }
    return old;
  }

  /** Every (key, entry) pair, in no particular order. */
  entries(): IterableIterator<[string, KeydirEntry]> {
    return this.map.entries();
  }

  /**
   * The keys in bytewise order. A hash keeps no order, so the first scan after keys were
   * added sorts the new ones and merges them in: O(n + k log k) for k new keys.
   */
  sortedKeys(): string[] {
    return this.order.list();
  }

  /** The keys from `start` onwards (backwards when `reverse`), without re-sorting; see sorted-keys.ts. */
  keysFrom(start: string | undefined, inclusive: boolean, reverse: boolean): Generator<string> {
    return this.order.walk(start, inclusive, reverse);
  }

  /** An estimate of the keydir's memory: the keys plus a measured overhead per entry. */
  memoryBytes(): number {
    return this.keyBytes + this.map.size * ENTRY_OVERHEAD;
  }
}

export { lowerIndex };
