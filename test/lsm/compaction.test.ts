import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { Version, scores } from '../../engines/lsm/version.js';
import { pickCompaction } from '../../engines/lsm/compaction.js';
import type { FileMeta } from '../../engines/lsm/format.js';
import { utf8, fromUtf8 } from '../../engines/bytes.js';
import { key, value, shuffled, SMALL } from './helpers.js';

const plain = (tuning = SMALL) => new LsmStore({ ...tuning, dir: '/db', fs: new MemoryFileSystem() });
const meta = (number: number, lo: string, hi: string, size = 1000): FileMeta => ({
  number,
  size,
  entries: 10,
  tombstones: 0,
  minSeq: 1,
  maxSeq: 10,
  smallest: utf8(lo),
  largest: utf8(hi),
});

describe('lsm leveled compaction', () => {
  it('compacts level 0 when it reaches l0CompactionTrigger tables, so it never holds that many after a write', () => {
    const db = plain({ ...SMALL, l0CompactionTrigger: 3 });
    let seen = 0;
    let w = 0;
    for (const i of shuffled(4000)) {
      db.put(key(i), value(i));
      // A flush happens about every 37 puts here, so looking every 5th put sees every state.
      if (++w % 5 !== 0) continue;
      const n = db.inspect().levels[0]!.files.length;
      expect(n).toBeLessThan(3);
      seen = Math.max(seen, n);
    }
    expect(seen).toBe(2);
    expect(db.stats().engineStats.compactions).toBeGreaterThan(0);
  });

  it('sizes each level levelSizeMultiplier times the one above, and compact() brings every level within its target', () => {
    const db = plain();
    for (const i of shuffled(5000)) db.put(key(i), value(i));
    db.compact();
    const levels = db.inspect().levels;
    expect(levels[2]!.targetBytes).toBe(4 * levels[1]!.targetBytes!);
    for (const l of levels.slice(1, -1)) expect(l.bytes).toBeLessThanOrEqual(l.targetBytes!);
    expect(levels[0]!.files.length).toBe(0);
    // Deeper levels hold disjoint, sorted key ranges.
    for (const l of levels.slice(1)) {
      for (let i = 1; i < l.files.length; i++) expect(l.files[i - 1]!.largest < l.files[i]!.smallest).toBe(true);
    }
    for (let i = 0; i < 5000; i += 97) expect(fromUtf8(db.get(key(i))!)).toBe(fromUtf8(value(i)));
  });

  it('keeps only the newest version of a key, and drops tombstones at the bottom level', () => {
    const db = plain();
    for (let round = 0; round < 3; round++) for (let i = 0; i < 1500; i++) db.put(key(i), value(i, round));
    for (let i = 0; i < 1500; i += 2) db.delete(key(i));
    db.compact();
    const files = db.inspect().levels.flatMap((l) => l.files);
    expect(files.reduce((n, f) => n + f.entries, 0)).toBe(750);
    expect(files.reduce((n, f) => n + f.tombstones, 0)).toBe(0);
    expect(db.get(key(0))).toBeUndefined();
    expect(fromUtf8(db.get(key(1))!)).toBe(fromUtf8(value(1, 2)));
    expect(db.stats().liveKeys).toBe(750);
  });

  it('keeps a tombstone while a deeper level may still hold its key', () => {
    const v = new Version().apply({ deleted: [], added: [{ level: 3, file: meta(1, 'b', 'd') }] }, 'm');
    expect(v.isBaseLevelForKey(1, utf8('c'))).toBe(false);
    expect(v.isBaseLevelForKey(1, utf8('e'))).toBe(true);
    expect(v.isBaseLevelForKey(3, utf8('c'))).toBe(true);
  });

  it('picks the level with the highest score, level-0 tables all together, deeper levels one table round robin', () => {
    const o = { l0CompactionTrigger: 4, levelSizeMultiplier: 10, level1Bytes: 2500, targetFileBytes: 1000 };
    let v = new Version().apply(
      {
        deleted: [],
        added: [
          { level: 1, file: meta(1, 'a', 'c') },
          { level: 1, file: meta(2, 'd', 'f') },
          { level: 1, file: meta(3, 'g', 'i') },
          { level: 2, file: meta(4, 'e', 'h') },
        ],
      },
      'm',
    );
    expect(scores(v, o)[1]).toBeCloseTo(1.2);
    const p1 = pickCompaction(v, o, [], new Set())!;
    expect([p1.level, p1.inputs.map((f) => f.number), p1.overlapping]).toEqual([1, [1], []]);
    expect(p1.trivialMove).toBe(true);
    const p2 = pickCompaction(v, o, [undefined, utf8('c')], new Set())!;
    expect([p2.inputs.map((f) => f.number), p2.overlapping.map((f) => f.number), p2.trivialMove]).toEqual([
      [2],
      [4],
      false,
    ]);
    v = v.apply({ deleted: [], added: [1, 2, 3, 4, 5].map((n) => ({ level: 0, file: meta(10 + n, 'a', 'z') })) }, 'm');
    const p3 = pickCompaction(v, o, [], new Set())!;
    expect([p3.level, p3.reason, p3.inputs.length, p3.overlapping.length]).toEqual([0, 'l0-files', 5, 3]);
    expect(pickCompaction(v, o, [], new Set([0, 1]))).toBeUndefined();
  });

  it('moves a table down a level without rewriting it when nothing below overlaps (a trivial move)', () => {
    const db = plain();
    for (let i = 0; i < 6000; i++) db.put(key(i), value(i)); // sequential keys: no overlaps
    const s = db.stats().engineStats;
    expect(s.trivialMoves).toBeGreaterThan(0);
  });

  it('after overwriting every key 10 times and compact(), disk bytes are at most 1.3 times the live bytes', () => {
    const db = plain({
      ...SMALL,
      memtableBytes: 32 * 1024,
      level1Bytes: 128 * 1024,
      targetFileBytes: 32 * 1024,
      blockBytes: 4096,
    });
    for (let round = 0; round < 10; round++) for (const i of shuffled(2000, round + 1)) db.put(key(i), value(i, round));
    db.compact();
    const s = db.stats();
    expect(s.liveKeys).toBe(2000);
    expect(s.liveBytes).toBe(2000 * (9 + 100));
    expect(s.diskBytes / s.liveBytes).toBeLessThanOrEqual(1.3);
  });

  it('reports write amplification, per-level sizes and compaction bytes in stats()', () => {
    const db = plain();
    for (const i of shuffled(3000)) db.put(key(i), value(i));
    const s = db.stats().engineStats;
    expect(s.writeAmplification).toBeGreaterThan(1);
    expect(s.compactionBytesWritten).toBeGreaterThan(0);
    const levelBytes = [0, 1, 2, 3, 4, 5, 6].reduce((n, l) => n + s[`level${l}Bytes`]!, 0);
    expect(levelBytes).toBe(db.inspect().levels.reduce((n, l) => n + l.bytes, 0));
  });
});
