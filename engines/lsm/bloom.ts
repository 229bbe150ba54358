/**
 * bloom.ts: the bloom filter each SSTable carries (LevelDB's bloom.cc).
 *
 * A bit array of about `bitsPerKey` bits per key and k = round(bitsPerKey * ln 2) probes.
 * Adding a key sets k bits; a lookup that finds any of its k bits clear proves the key is not
 * in the table ("no"), so the table's data blocks are never read. All bits set means "maybe":
 * the key is there, or this is a false positive (about 1% at 10 bits per key).
 *
 * The k probe positions come from one 32-bit hash by double hashing: h, h + d, h + 2d, ...
 * with d = h rotated right by 17 bits (Kirsch and Mitzenmacher).
 *
 * Encoded form: the bit array (bit i is bit i % 8 of byte i / 8), then k as one byte.
 */
import { corrupt } from '../errors.js';

/** LevelDB's 32-bit hash (a Murmur variant) with its bloom seed. */
export function bloomHash(key: Uint8Array): number {
  const m = 0xc6a4a793;
  const n = key.length;
  let h = (0xbc9f1d34 ^ Math.imul(n, m)) >>> 0;
  let i = 0;
  // Four bytes at a time, little-endian.
  for (; i + 4 <= n; i += 4) {
    const w = key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24);
    h = (h + w) >>> 0;
    h = Math.imul(h, m) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  // The last 0 to 3 bytes.
  const rest = n - i;
  if (rest > 0) {
    if (rest === 3) h = (h + (key[i + 2]! << 16)) >>> 0;
    if (rest >= 2) h = (h + (key[i + 1]! << 8)) >>> 0;
    h = (h + key[i]!) >>> 0;
    h = Math.imul(h, m) >>> 0;
    h = (h ^ (h >>> 24)) >>> 0;
  }
  return h;
}

/** The number of probes for a bits-per-key setting: round(bits * ln 2), 1 to 30. */
export function probesFor(bitsPerKey: number): number {
  return Math.max(1, Math.min(30, Math.round(bitsPerKey * 0.69)));
}

/** Builds the filter for a set of keys (given as their hashes, collected while writing). */
export function buildFilter(hashes: readonly number[], bitsPerKey: number): Uint8Array {
  const k = probesFor(bitsPerKey);
  // At least 64 bits, so a tiny table does not get a useless filter.
  const bits = Math.max(64, Math.ceil((hashes.length * bitsPerKey) / 8) * 8);
  const out = new Uint8Array(bits / 8 + 1);
  out[bits / 8] = k;
  for (let h of hashes) {
    const delta = ((h >>> 17) | (h << 15)) >>> 0;
    for (let j = 0; j < k; j++) {
      const pos = h % bits;
      out[pos >>> 3]! |= 1 << (pos & 7);
      h = (h + delta) >>> 0;
    }
  }
  return out;
}

/** A filter read back from a table. */
export class BloomFilter {
  /** Number of bits in the array. */
  readonly bits: number;
  /** Number of probes per key. */
  readonly probes: number;

  /** Wraps an encoded filter; `file` and `offset` name it in a KV_CORRUPT error. */
  constructor(
    private readonly data: Uint8Array,
    file: string,
    offset: number,
  ) {
    if (data.length < 2) throw corrupt(file, offset, `a bloom filter of ${data.length} bytes is too short`);
    this.bits = (data.length - 1) * 8;
    this.probes = data[data.length - 1]!;
    if (this.probes < 1 || this.probes > 30)
      throw corrupt(file, offset + data.length - 1, `a bloom filter claims ${this.probes} probes`);
  }

  /** False when the key is certainly absent; true when it may be present. */
  mayContain(key: Uint8Array): boolean {
    let h = bloomHash(key);
    const delta = ((h >>> 17) | (h << 15)) >>> 0;
    for (let j = 0; j < this.probes; j++) {
      const pos = h % this.bits;
      if ((this.data[pos >>> 3]! & (1 << (pos & 7))) === 0) return false;
      h = (h + delta) >>> 0;
    }
    return true;
  }

  /** Bytes of memory the filter holds. */
  get size(): number {
    return this.data.length;
  }
}
