import { describe, it, expect } from 'vitest';
import { SortedKeys, lowerIndex } from '../../engines/sorted-keys.js';
import { Rng } from '../util/rng.js';

describe('SortedKeys', () => {
  it('matches a full sort after any mix of adds, removes and re-adds', () => {
    const rng = new Rng(5);
    const live = new Set<string>();
    const keys = new SortedKeys((k) => live.has(k));
    for (let i = 0; i < 3000; i++) {
      const k = String.fromCharCode(rng.int(256), rng.int(256)).slice(0, 1 + rng.int(2));
      if (rng.chance(0.3)) {
        if (live.delete(k)) keys.remove();
      } else if (!live.has(k)) {
        live.add(k);
        keys.add(k);
      }
      if (rng.chance(0.1)) expect(keys.list()).toEqual([...live].sort());
    }
    expect(keys.list()).toEqual([...live].sort());
  });

  it('walks from any bound, forward and backward, as a sorted filter of the live keys would', () => {
    const rng = new Rng(9);
    const live = new Set<string>();
    const keys = new SortedKeys((k) => live.has(k));
    for (let i = 0; i < 4000; i++) {
      const k = String.fromCharCode(97 + rng.int(26), 97 + rng.int(26)).slice(0, 1 + rng.int(2));
      if (rng.chance(0.3)) {
        if (live.delete(k)) keys.remove();
      } else if (!live.has(k)) {
        live.add(k);
        keys.add(k);
      }
      if (i % 7 !== 0) continue;
      const all = [...live].sort();
      const start = rng.chance(0.2) ? undefined : String.fromCharCode(97 + rng.int(26));
      const inclusive = rng.chance(0.5);
      const reverse = rng.chance(0.5);
      const want = reverse
        ? all.filter((x) => start === undefined || x < start || (inclusive && x === start)).reverse()
        : all.filter((x) => start === undefined || x > start || (inclusive && x === start));
      expect([...keys.walk(start, inclusive, reverse)], `${start} ${inclusive} ${reverse}`).toEqual(want);
    }
  });

  it('never changes a list it handed out', () => {
    const live = new Set(['b']);
    const keys = new SortedKeys((k) => live.has(k));
    keys.add('b');
    const first = keys.list();
    live.add('a');
    keys.add('a');
    expect(keys.list()).toEqual(['a', 'b']);
    expect(first).toEqual(['b']);
  });

  it('lowerIndex finds the first key at or above a bound', () => {
    const ks = ['a', 'c', 'e'];
    expect(lowerIndex(ks, 'c', true)).toBe(1);
    expect(lowerIndex(ks, 'c', false)).toBe(2);
    expect(lowerIndex(ks, 'z', true)).toBe(3);
  });
});
