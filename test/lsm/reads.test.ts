import { describe, it, expect } from 'vitest';
import type { TraceEvent } from '../../engines/index.js';
import { fromUtf8 } from '../../engines/bytes.js';
import { openLsm, filledThenTraced, key, value, shuffled, SMALL } from './helpers.js';

type Ev<T extends string> = Extract<TraceEvent, { type: T }>;
const only = <T extends TraceEvent['type']>(events: TraceEvent[], type: T) =>
  events.filter((e): e is Ev<T> => e.type === type);

/** Runs `f` and returns the events it emitted. */
function during(events: TraceEvent[], f: () => void): TraceEvent[] {
  const from = events.length;
  f();
  return events.slice(from);
}

describe('lsm reads', () => {
  it('a point get of a present key reads at most one data block per level (counted from the trace)', () => {
    const n = 6000;
    const { db, events } = filledThenTraced((d) => {
      for (const i of shuffled(n)) d.put(key(i), value(i));
    });
    const levels = db.inspect().levels;
    // The data is spread over level 0 and at least two deeper levels.
    expect(levels.filter((l) => l.level > 0 && l.files.length > 0).length).toBeGreaterThanOrEqual(2);
    let maxReads = 0;
    for (let i = 0; i < n; i += 7) {
      const ev = during(events, () => expect(fromUtf8(db.get(key(i))!)).toBe(fromUtf8(value(i))));
      const reads = only(ev, 'lsm.block.read');
      const perLevel = new Map<string, number>();
      // Level-0 tables overlap, so each is its own "level" here; deeper levels count as one.
      for (const r of reads) {
        const where = r.level === 0 ? `L0 ${r.file}` : `L${r.level}`;
        perLevel.set(where, (perLevel.get(where) ?? 0) + 1);
      }
      for (const [where, count] of perLevel) expect(count, `get ${i} read ${count} blocks in ${where}`).toBe(1);
      maxReads = Math.max(maxReads, reads.length);
    }
    expect(maxReads).toBeLessThanOrEqual(levels.filter((l) => l.files.length > 0).length + levels[0]!.files.length);
  });

  it('looks in the memtable, then level-0 tables newest first, then the one table per deeper level whose range holds the key', () => {
    const { db, events } = filledThenTraced((d) => {
      for (const i of shuffled(3000)) d.put(key(i), value(i));
    });
    const l0 = db.inspect().levels[0]!.files.map((f) => f.file);
    expect(l0.length).toBeGreaterThan(0);
    // An absent key inside every range: every place is asked, in order.
    const ev = during(events, () => expect(db.get('key001500a')).toBeUndefined());
    const order = ev
      .filter((e) => e.type === 'lsm.get.memtable' || e.type === 'lsm.bloom' || e.type === 'lsm.get.skip')
      .map((e) =>
        e.type === 'lsm.get.memtable' ? e.which : `L${(e as Ev<'lsm.bloom'>).level} ${(e as Ev<'lsm.bloom'>).file}`,
      );
    expect(order[0]).toBe('memtable');
    const asked0 = order.filter((o) => o.startsWith('L0 ')).map((o) => o.slice(3));
    expect(asked0).toEqual([...l0].reverse());
    const deeper = order.filter((o) => /^L[1-6] /.test(o)).map((o) => Number(o[1]));
    expect(deeper).toEqual([...deeper].sort());
    expect(new Set(deeper).size).toBe(deeper.length); // one table per deeper level
    const found = only(ev, 'lsm.get.found');
    expect(found).toEqual([{ type: 'lsm.get.found', key: 'key001500a', source: 'none', result: 'absent' }]);
  });

  it('traces the bloom filter answer, and a "no" reads no data block', () => {
    const { db, events } = filledThenTraced((d) => {
      for (let i = 0; i < 3000; i++) d.put(key(i * 2), value(i));
    });
    let no = 0;
    let maybe = 0;
    for (let i = 0; i < 1000; i++) {
      const ev = during(events, () => expect(db.get(key(i * 2 + 1))).toBeUndefined());
      for (const b of only(ev, 'lsm.bloom')) {
        if (b.answer === 'no') {
          no++;
          // No index lookup or block read follows a "no" for that table.
          expect(ev.some((e) => (e.type === 'lsm.block.read' || e.type === 'lsm.index') && e.file === b.file)).toBe(
            false,
          );
        } else maybe++;
      }
    }
    expect(no).toBeGreaterThan(900);
    expect(maybe / (no + maybe)).toBeLessThan(0.05);
    const s = db.stats().engineStats;
    expect(s.bloomChecks).toBe(no + maybe);
    expect(s.bloomUseful).toBe(no);
    expect(s.bloomUsefulRatio).toBeCloseTo(no / (no + maybe));
  });

  it('skips a table whose key range does not hold the key, and traces the skip', () => {
    const { db, events } = openLsm();
    for (let i = 0; i < 400; i++) db.put(key(i), value(i));
    const ev = during(events, () => db.get('zzz'));
    const skips = only(ev, 'lsm.get.skip');
    expect(skips.length).toBeGreaterThan(0);
    expect(skips[0]).toMatchObject({ key: 'zzz' });
    expect(only(ev, 'lsm.bloom').length).toBe(0);
  });

  it('finds a block in the cache the second time, and keeps the cache within blockCacheBytes', () => {
    const tuning = { ...SMALL, blockCacheBytes: 4096 };
    const { db, events } = filledThenTraced((d) => {
      for (let i = 0; i < 3000; i++) d.put(key(i), value(i));
      d.compact();
    }, tuning);
    const first = during(events, () => db.get(key(10)));
    expect(only(first, 'lsm.block.read').map((r) => r.cache)).toEqual(['miss']);
    const second = during(events, () => db.get(key(11)));
    expect(only(second, 'lsm.block.read').map((r) => r.cache)).toEqual(['hit']);
    for (let i = 0; i < 3000; i += 3) db.get(key(i));
    const c = db.inspect().cache;
    expect(c.bytes).toBeLessThanOrEqual(4096);
    expect(c.blocks).toBeGreaterThan(0);
  });

  it('scans one merged, newest-wins view of the memtable and every level, both directions', () => {
    const { db } = openLsm({ ...SMALL, trace: undefined });
    for (const i of shuffled(2000)) db.put(key(i), value(i, 0));
    for (let i = 0; i < 2000; i += 3) db.put(key(i), value(i, 1));
    for (let i = 0; i < 2000; i += 5) db.delete(key(i));
    const expected: string[] = [];
    for (let i = 100; i < 1900; i++)
      if (i % 5 !== 0) expected.push(`${fromUtf8(key(i))}=${fromUtf8(value(i, i % 3 === 0 ? 1 : 0))}`);
    const fwd = [...db.scan({ gte: key(100), lt: key(1900) })].map(([k, v]) => `${fromUtf8(k)}=${fromUtf8(v)}`);
    expect(fwd).toEqual(expected);
    const rev = [...db.scan({ gte: key(100), lt: key(1900), reverse: true })].map(
      ([k, v]) => `${fromUtf8(k)}=${fromUtf8(v)}`,
    );
    expect(rev).toEqual([...expected].reverse());
  });
});
