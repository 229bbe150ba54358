import { describe, it, expect } from 'vitest';
import { MergingIterator, levelEntries, type RangedSource } from '../../engines/lsm/merge.js';
import { KIND_DELETE, KIND_PUT, type Entry } from '../../engines/lsm/format.js';
import { compareBytes, utf8, fromUtf8 } from '../../engines/bytes.js';

const e = (key: string, seq: number, del = false): Entry => ({
  key: utf8(key),
  seq,
  kind: del ? KIND_DELETE : KIND_PUT,
  value: utf8(`${key}@${seq}`),
});
const show = (it: Iterable<Entry>) =>
  [...it].map((x) => `${fromUtf8(x.key)}@${x.seq}${x.kind === KIND_DELETE ? '-' : ''}`);
const src = (entries: Entry[], reverse = false) => (reverse ? [...entries].reverse() : entries)[Symbol.iterator]();

describe('lsm merging iterator', () => {
  const newer = [e('b', 9), e('d', 8, true)];
  const older = [e('a', 1), e('b', 2), e('c', 3), e('d', 4)];

  it('yields one entry per key, the newest, tombstones included, and counts the shadowed ones', () => {
    const m = new MergingIterator([src(older), src(newer)], false);
    expect(show(m)).toEqual(['a@1', 'b@9', 'c@3', 'd@8-']);
    expect(m.shadowed).toBe(2);
    expect(m.read).toBe(6);
  });

  it('merges in reverse just the same', () => {
    expect(show(new MergingIterator([src(older, true), src(newer, true)], true))).toEqual([
      'd@8-',
      'c@3',
      'b@9',
      'a@1',
    ]);
  });

  it('reads a level of disjoint tables one after another, seeking into gaps and past the ends', () => {
    const tables: RangedSource[] = [
      [e('b', 1), e('c', 1)],
      [e('f', 1), e('g', 1)],
    ].map((rows) => ({
      smallest: rows[0]!.key,
      largest: rows[rows.length - 1]!.key,
      entries: (reverse: boolean, from?: Uint8Array, exclusive = false) => {
        const ok = (x: Entry) =>
          !from ||
          (reverse
            ? compareBytes(x.key, from) < 0 || (!exclusive && compareBytes(x.key, from) === 0)
            : compareBytes(x.key, from) > 0 || (!exclusive && compareBytes(x.key, from) === 0));
        return src((reverse ? [...rows].reverse() : rows).filter(ok));
      },
    }));
    const keys = (reverse: boolean, from?: string, exclusive = false) =>
      show(levelEntries(tables, reverse, from === undefined ? undefined : utf8(from), exclusive)).map((s) => s[0]);
    expect(keys(false)).toEqual(['b', 'c', 'f', 'g']);
    expect(keys(false, 'd')).toEqual(['f', 'g']);
    expect(keys(false, 'c', true)).toEqual(['f', 'g']);
    expect(keys(false, 'h')).toEqual([]);
    expect(keys(true)).toEqual(['g', 'f', 'c', 'b']);
    expect(keys(true, 'e')).toEqual(['c', 'b']);
    expect(keys(true, 'f', true)).toEqual(['c', 'b']);
    expect(keys(true, 'a')).toEqual([]);
    expect(keys(true, 'z')).toEqual(['g', 'f', 'c', 'b']);
  });
});
