import { describe, it, expect } from 'vitest';
import { decodeVarint, encodeVarint, putVarint, varintLength } from '../../engines/codec/varint.js';

describe('varint', () => {
  it('round-trips small, boundary and large numbers', () => {
    for (const n of [0, 1, 127, 128, 255, 300, 16383, 16384, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      const b = encodeVarint(n);
      expect(b.length).toBe(varintLength(n));
      expect(decodeVarint(b, 0)).toEqual({ value: n, next: b.length });
    }
  });

  it('encodes as LEB128: 300 is ac 02', () => {
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
  });

  it('refuses a truncated varint without reading past the end', () => {
    const b = encodeVarint(1_000_000);
    expect(decodeVarint(b, 0, b.length - 1)).toBeUndefined();
    expect(decodeVarint(new Uint8Array([0x80]), 0)).toBeUndefined();
  });

  it('refuses an over-long varint (a malicious run of continuation bytes)', () => {
    expect(decodeVarint(new Uint8Array(20).fill(0xff), 0)).toBeUndefined();
  });

  it('refuses negative or fractional numbers when encoding', () => {
    expect(() => putVarint(new Uint8Array(8), 0, -1)).toThrow(RangeError);
    expect(() => putVarint(new Uint8Array(8), 0, 1.5)).toThrow(RangeError);
  });
});
