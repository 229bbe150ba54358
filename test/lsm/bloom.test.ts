import { describe, it, expect } from 'vitest';
import { BloomFilter, bloomHash, buildFilter, probesFor } from '../../engines/lsm/bloom.js';
import { utf8 } from '../../engines/bytes.js';
import { KVError } from '../../engines/errors.js';

const filterOf = (keys: Uint8Array[], bits = 10) => new BloomFilter(buildFilter(keys.map(bloomHash), bits), 't.sst', 0);

describe('lsm bloom filter', () => {
  it('uses round(bits per key * ln 2) probes', () => {
    expect(probesFor(10)).toBe(7);
    expect(probesFor(1)).toBe(1);
    expect(probesFor(100)).toBe(30);
  });

  it('never says no for a key it holds', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => utf8(`key-${i}`));
    const f = filterOf(keys);
    for (const k of keys) expect(f.mayContain(k)).toBe(true);
  });

  it('has a measured false-positive rate between 0.5% and 2% on 100,000 absent keys at 10 bits per key', () => {
    const present = Array.from({ length: 100_000 }, (_, i) => utf8(`user${String(i).padStart(8, '0')}`));
    const f = filterOf(present);
    let fp = 0;
    for (let i = 0; i < 100_000; i++) if (f.mayContain(utf8(`absent${String(i).padStart(8, '0')}`))) fp++;
    const rate = fp / 100_000;
    expect(rate).toBeGreaterThan(0.005);
    expect(rate).toBeLessThan(0.02);
  });

  it('is at least 64 bits even for one key, and sized bits per key beyond that', () => {
    expect(buildFilter([bloomHash(utf8('a'))], 10).length).toBe(8 + 1);
    expect(
      buildFilter(
        Array.from({ length: 1000 }, (_, i) => i * 7919),
        10,
      ).length,
    ).toBe(1250 + 1);
  });

  it('rejects a filter with an impossible probe count as corrupt', () => {
    expect(() => new BloomFilter(new Uint8Array([0, 0, 0, 99]), 't.sst', 40)).toThrow(KVError);
    expect(() => new BloomFilter(new Uint8Array([5]), 't.sst', 40)).toThrow(/too short/);
  });
});
