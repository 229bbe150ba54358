import { describe, it, expect } from 'vitest';
import { Memtable, MAX_HEIGHT } from '../../engines/lsm/memtable.js';
import { KIND_DELETE, KIND_PUT } from '../../engines/lsm/format.js';
import { utf8, fromUtf8 } from '../../engines/bytes.js';

const k = (i: number) => utf8(`k${String(i).padStart(4, '0')}`);

describe('lsm memtable (skiplist)', () => {
  it('keeps keys sorted whatever the insertion order', () => {
    const m = new Memtable(1);
    const order = Array.from({ length: 500 }, (_, i) => (i * 7919) % 500);
    order.forEach((i, seq) => m.insert(k(i), seq + 1, KIND_PUT, utf8(`v${i}`)));
    expect([...m.entries()].map((e) => fromUtf8(e.key))).toEqual(Array.from({ length: 500 }, (_, i) => fromUtf8(k(i))));
    expect([...m.entries(true)].map((e) => fromUtf8(e.key))).toEqual(
      Array.from({ length: 500 }, (_, i) => fromUtf8(k(499 - i))),
    );
  });

  it('replaces a key in place, keeping the newest sequence number, and counts bytes', () => {
    const m = new Memtable(1);
    m.insert(k(1), 1, KIND_PUT, utf8('aaaa'));
    expect(m.bytes).toBe(5 + 4 + 8);
    const r = m.insert(k(1), 2, KIND_DELETE, new Uint8Array(0));
    expect(r.created).toBe(false);
    expect(m.count).toBe(1);
    expect(m.tombstones).toBe(1);
    expect(m.bytes).toBe(5 + 0 + 8);
    expect(m.get(k(1))).toMatchObject({ seq: 2, kind: KIND_DELETE });
    expect(m.get(k(2))).toBeUndefined();
  });

  it('seeks from a key in both directions, inclusive or exclusive', () => {
    const m = new Memtable(1);
    for (let i = 0; i < 20; i += 2) m.insert(k(i), i + 1, KIND_PUT, utf8('v'));
    const keys = (it: Iterable<{ key: Uint8Array }>) => [...it].map((e) => fromUtf8(e.key)).slice(0, 2);
    expect(keys(m.entries(false, k(4)))).toEqual(['k0004', 'k0006']);
    expect(keys(m.entries(false, k(4), true))).toEqual(['k0006', 'k0008']);
    expect(keys(m.entries(false, k(5)))).toEqual(['k0006', 'k0008']);
    expect(keys(m.entries(true, k(4)))).toEqual(['k0004', 'k0002']);
    expect(keys(m.entries(true, k(4), true))).toEqual(['k0002', 'k0000']);
    expect(keys(m.entries(true, k(5)))).toEqual(['k0004', 'k0002']);
    expect(keys(m.entries(true, k(0), true))).toEqual([]);
  });

  it('builds express lanes: about a quarter of the nodes on each next level, the same every run', () => {
    const build = () => {
      const m = new Memtable(1);
      for (let i = 0; i < 4000; i++) m.insert(k(i), i + 1, KIND_PUT, utf8('v'));
      return m;
    };
    const m = build();
    const levels = m.levels(Infinity);
    expect(levels[0]!.length).toBe(4000);
    expect(levels[1]!.length).toBeGreaterThan(700);
    expect(levels[1]!.length).toBeLessThan(1300);
    expect(m.height).toBeLessThanOrEqual(MAX_HEIGHT);
    // Each level is a sorted subset of the one below.
    for (let l = 1; l < levels.length; l++) {
      const below = new Set(levels[l - 1]!.map((n) => fromUtf8(n.key)));
      for (const n of levels[l]!) expect(below.has(fromUtf8(n.key))).toBe(true);
    }
    expect(
      build()
        .levels(Infinity)
        .map((l) => l.length),
    ).toEqual(levels.map((l) => l.length));
  });
});
