/**
 * varint.ts: unsigned LEB128 varints (as protobuf and LevelDB write them), up to 2^53 - 1.
 *
 * Seven bits per byte, low group first; the high bit says "more follows". A number below 128
 * is one byte. decodeVarint never reads past `end` and returns undefined for a truncated or
 * over-long varint, so a malicious file cannot make a reader loop or crash.
 */

/** The most bytes a varint of a safe integer takes. */
export const MAX_VARINT_BYTES = 8;

/** How many bytes encodeVarint(n) takes. */
export function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Writes `n` at `buf[offset]` and returns the offset after it. `n` must be a safe integer >= 0. */
export function putVarint(buf: Uint8Array, offset: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint out of range: ${n}`);
  while (n >= 0x80) {
    buf[offset++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[offset++] = n;
  return offset;
}

/** The varint encoding of `n` as its own array. */
export function encodeVarint(n: number): Uint8Array {
  const out = new Uint8Array(varintLength(n));
  putVarint(out, 0, n);
  return out;
}

/** A decoded varint and the offset just after it. */
export interface Decoded {
  value: number;
  next: number;
}

/** Reads a varint at `buf[offset]`, not past `end`; undefined if truncated or too long. */
export function decodeVarint(buf: Uint8Array, offset: number, end = buf.length): Decoded | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (offset + i >= end) return undefined;
    const b = buf[offset + i]!;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      return Number.isSafeInteger(value) ? { value, next: offset + i + 1 } : undefined;
    }
    scale *= 128;
  }
  return undefined;
}
