/**
 * u64.ts: 64-bit little-endian fields, stored as two uint32 halves (low first), for the
 * sequence numbers, sizes and offsets the formats keep. JavaScript numbers are exact up to
 * 2^53, so a writer never stores more and a reader checks what it gets (Number.isSafeInteger).
 */

/** Writes a safe integer as uint64 LE at `at`. */
export function setU64(dv: DataView, at: number, n: number): void {
  dv.setUint32(at, n % 0x1_0000_0000, true);
  dv.setUint32(at + 4, Math.floor(n / 0x1_0000_0000), true);
}

/** Reads a uint64 LE at `at`; values above 2^53 come back unsafe, and callers reject them. */
export function getU64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 0x1_0000_0000;
}
