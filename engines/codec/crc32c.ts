/**
 * crc32c.ts: CRC-32C (Castagnoli), the checksum LevelDB, RocksDB and ext4 use.
 *
 * Reflected polynomial 0x82F63B78. `crc32c(utf8('123456789')) === 0xE3069283`.
 * LevelDB stores a *masked* CRC (see mask()) so that a CRC of data that itself holds CRCs
 * does not collapse; we do the same wherever a checksum covers bytes with checksums inside.
 *
 * Speed: slicing-by-8 (Intel's method, as in zlib and LevelDB's portable path). TABLES[0] is
 * the classic byte table; TABLES[k][n] is the CRC of byte n followed by k zero bytes, so eight
 * lookups, one per input byte, advance the CRC by eight bytes at a time. Plain JavaScript
 * over Uint32Arrays, so it runs unchanged in the browser. crc32cSimple() is the one-table,
 * byte-at-a-time version it must agree with (the tests check both on random data).
 */

const POLY = 0x82f63b78;

/** TABLES[k * 256 + n]: the CRC contribution of byte n when k more bytes follow it in the block. */
const TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c >>> 0;
  }
  // Each further table is the previous one advanced by one zero byte.
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (t[prev & 0xff]! ^ (prev >>> 8)) >>> 0;
    }
  }
  return t;
})();

/** Extends a running CRC-32C (start with 0) over `data[start, end)`. */
export function crc32cUpdate(crc: number, data: Uint8Array, start = 0, end = data.length): number {
  const t = TABLES;
  let c = ~crc >>> 0;
  let i = start;
  // Step 1: eight bytes per round: fold the CRC into the first four, then one lookup per byte.
  const last8 = end - 8;
  while (i <= last8) {
    const a = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
    i += 8;
  }
  // Step 2: the last few bytes, one at a time.
  for (; i < end; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC-32C of `data[start, end)`. */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  return crc32cUpdate(0, data, start, end);
}

/** The byte-at-a-time CRC-32C with one table: the reference the fast version is tested against. */
export function crc32cSimple(data: Uint8Array, start = 0, end = data.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLES[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const MASK_DELTA = 0xa282ead8;

/** LevelDB's CRC mask: rotate right by 15 bits and add a constant. */
export function mask(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

/** The inverse of mask(). */
export function unmask(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}
