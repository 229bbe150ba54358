import { describe, it, expect } from 'vitest';
import { Block, BlockBuilder } from '../../engines/lsm/block.js';
import { utf8, fromUtf8 } from '../../engines/bytes.js';
import { isKVError } from '../../engines/errors.js';

const keys = Array.from({ length: 100 }, (_, i) => utf8(`user:${String(i * 3).padStart(5, '0')}`));

/** A block of the keys above, with value = key reversed. */
function build(interval: number): Uint8Array {
  const b = new BlockBuilder(interval);
  for (const k of keys) b.add(k, k.slice().reverse());
  return b.finish();
}

describe('lsm block', () => {
  it('round-trips entries, undoing prefix compression', () => {
    const blk = new Block(build(16), 'b', 0);
    expect(blk.length).toBe(100);
    expect(blk.keys.map(fromUtf8)).toEqual(keys.map(fromUtf8));
    expect(fromUtf8(blk.values[7]!)).toBe(fromUtf8(keys[7]!.slice().reverse()));
  });

  it('stores a key whole only at restart points, every `interval` entries', () => {
    const blk = new Block(build(16), 'b', 0);
    expect(blk.restartEntries).toEqual([0, 16, 32, 48, 64, 80, 96]);
    // Prefix compression makes the block much smaller than the keys and values.
    const raw = keys.reduce((n, k) => n + 2 * k.length, 0);
    expect(build(16).length).toBeLessThan(raw);
    expect(build(16).length).toBeLessThan(build(1).length);
  });

  it('seeks to the first key >= the target through the restart points', () => {
    const blk = new Block(build(16), 'b', 0);
    expect(blk.seek(utf8('user:00000'))).toBe(0);
    expect(blk.seek(utf8('user:00001'))).toBe(1);
    expect(blk.seek(utf8('user:00150'))).toBe(50);
    expect(blk.seek(utf8('user:00151'))).toBe(51);
    expect(blk.seek(utf8('a'))).toBe(0);
    expect(blk.seek(utf8('z'))).toBe(100);
  });

  it('never reads out of bounds on damaged bytes: every truncation and bit flip is KV_CORRUPT or parses', () => {
    const good = build(4);
    for (let n = 0; n < good.length; n += 3) {
      try {
        new Block(good.subarray(0, n), 'b', 0);
      } catch (e) {
        expect(isKVError(e, 'KV_CORRUPT')).toBe(true);
      }
    }
    for (let bit = 0; bit < good.length * 8; bit += 5) {
      const bad = good.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      try {
        new Block(bad, 'b', 0);
      } catch (e) {
        expect(isKVError(e, 'KV_CORRUPT')).toBe(true);
      }
    }
  });
});
