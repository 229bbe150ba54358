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
