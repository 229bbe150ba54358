import { describe, it, expect } from 'vitest';
import { crc32c, crc32cSimple, crc32cUpdate, mask, unmask } from '../../engines/codec/crc32c.js';
import { utf8 } from '../../engines/bytes.js';

describe('crc32c', () => {
  it('matches the standard check value for "123456789"', () => {
    expect(crc32c(utf8('123456789'))).toBe(0xe3069283);
  });

  it('matches known vectors (RFC 3720: 32 zero bytes, 32 0xFF bytes)', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('can be computed in pieces', () => {
    const data = utf8('hello, world; hello, crc');
    expect(crc32cUpdate(crc32cUpdate(0, data, 0, 7), data, 7)).toBe(crc32c(data));
  });

  it('changes when one bit flips', () => {
    const data = utf8('some record bytes');
    const flipped = data.slice();
    flipped[3]! ^= 1;
    expect(crc32c(flipped)).not.toBe(crc32c(data));
  });

  it('mask and unmask are inverses, and mask changes the value', () => {
    for (const c of [0, 1, 0xe3069283, 0xffffffff, 0x12345678]) {
      expect(unmask(mask(c))).toBe(c);
      expect(mask(c)).not.toBe(c);
    }
  });
});

describe('crc32c, slicing-by-8', () => {
  /** A deterministic pseudo-random byte source (xorshift32). */
  function bytes(n: number, seed: number): Uint8Array {
    const out = new Uint8Array(n);
    let x = seed >>> 0 || 1;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  }

  it('the simple byte-at-a-time version gives the standard check value too', () => {
    expect(crc32cSimple(utf8('123456789'))).toBe(0xe3069283);
  });

  it('agrees with the simple version on random data of every length from 0 to 100 and at every alignment', () => {
    const data = bytes(140, 7);
    for (let start = 0; start < 16; start++) {
      for (let len = 0; len <= 100; len++) {
        expect(crc32c(data, start, start + len)).toBe(crc32cSimple(data, start, start + len));
      }
    }
  });

  it('agrees with the simple version on random pages up to 64 KiB', () => {
    for (const [n, seed] of [
      [512, 1],
      [4096, 2],
      [4099, 3],
      [65536, 4],
    ] as const) {
      const data = bytes(n, seed);
      expect(crc32c(data)).toBe(crc32cSimple(data));
    }
  });

  it('agrees with the simple version when computed in pieces that split an 8-byte block', () => {
    const data = bytes(1000, 9);
    for (const cut of [1, 3, 8, 13, 500, 999]) {
      expect(crc32cUpdate(crc32cUpdate(0, data, 0, cut), data, cut)).toBe(crc32cSimple(data));
    }
  });
});
