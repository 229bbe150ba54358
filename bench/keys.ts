/**
 * keys.ts: the keys and values every workload uses, as LevelDB's db_bench makes them.
 *
 * Key i is "k" plus i in zero-padded decimal, KEY_BYTES long, so bytewise order is numeric
 * order. The filled keys are the even numbers (item i is key 2i) and the missing keys the
 * odd ones between them, so a read of a missing key lands inside the key range: an engine
 * cannot answer it by a range check alone, only by its index or its bloom filter.
 * Values are copies of random (incompressible) bytes from a fixed pool, fresh per put,
 * because an engine may keep the array it is given.
 */
import { Random } from './random.js';

/** Bytes per key (db_bench's default is 16). */
export const KEY_BYTES = 16;

/** "0".."9" as bytes. */
const ZERO = 0x30;
/** "k". */
const K = 0x6b;

/** Key number `n` as a fresh KEY_BYTES array: "k000000000000042". */
export function keyBytes(n: number): Uint8Array {
  const b = new Uint8Array(KEY_BYTES);
  b[0] = K;
  let x = n;
  for (let i = KEY_BYTES - 1; i >= 1; i--) {
    b[i] = ZERO + (x % 10);
    x = Math.floor(x / 10);
  }
  return b;
}

/** The key of filled item i (present once the store is filled). */
export function presentKey(i: number): Uint8Array {
  return keyBytes(2 * i);
}

/** The key between filled items i and i + 1 (never written). */
export function missingKey(i: number): Uint8Array {
  return keyBytes(2 * i + 1);
}

/** A source of values: fresh copies of random bytes from a 1 MiB pool. */
export class Values {
  private readonly pool: Uint8Array;
  private offset = 0;

  /** A pool of random bytes for values of `size` bytes. */
  constructor(
    readonly size: number,
    seed: number,
  ) {
    const random = new Random(seed ^ 0x5eed);
    this.pool = new Uint8Array(Math.max(1 << 20, size * 4));
    for (let i = 0; i < this.pool.length; i += 4) {
      const r = random.next32();
      this.pool[i] = r & 0xff;
      this.pool[i + 1] = (r >>> 8) & 0xff;
      this.pool[i + 2] = (r >>> 16) & 0xff;
      this.pool[i + 3] = r >>> 24;
    }
  }

  /** The next value: a fresh copy, starting a little further into the pool each time. */
  next(): Uint8Array {
    if (this.offset + this.size > this.pool.length) this.offset = 0;
    const v = this.pool.slice(this.offset, this.offset + this.size);
    this.offset += 97;
    return v;
  }
}
