/**
 * crc32c.ts: CRC-32C (Castagnoli), the checksum LevelDB, RocksDB and ext4 use.
 *
 * Table-driven, reflected polynomial 0x82F63B78. `crc32c(utf8('123456789')) === 0xE3069283`.
 * LevelDB stores a *masked* CRC (see mask()) so that a CRC of data that itself holds CRCs
 * does not collapse; we do the same wherever a checksum covers bytes with checksums inside.
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Extends a running CRC-32C (start with 0) over `data[start, end)`. */
export function crc32cUpdate(crc: number, data: Uint8Array, start = 0, end = data.length): number {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC-32C of `data[start, end)`. */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  return crc32cUpdate(0, data, start, end);
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
