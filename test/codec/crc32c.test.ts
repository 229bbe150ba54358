import { describe, it, expect } from 'vitest';
import { crc32c, crc32cUpdate, mask, unmask } from '../../engines/codec/crc32c.js';
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
