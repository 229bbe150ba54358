/**
 * grade.test.ts: the grader's own model and crash tests find a planted bug and shrink it to a
 * short sequence, and pass the reference engine. The planted bugs wrap the reference Bitcask.
 */
import { describe, it, expect } from 'vitest';
import { openStore } from '../../engines/index.js';
import type { KVStore, Range } from '../../engines/index.js';
import type { Subject } from '../../track/subject.js';
import { modelSearch } from '../../track/grade/model-search.js';
import { crashSearch } from '../../track/grade/crash-search.js';
import { showStep } from '../../track/grade/program.js';
import { shrink } from '../../track/grade/shrink.js';

/** The reference Bitcask with one method replaced. */
function planted(name: string, patch: (db: KVStore) => Partial<KVStore>): Subject {
  return {
    name,
    open: (o) => {
      const db = openStore('bitcask', o);
      return Object.assign(Object.create(db) as KVStore, patch(db));
    },
  };
}

describe('the grader', () => {
  it('shrink keeps only the items a failure needs', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(shrink(items, (xs) => xs.includes(7) && xs.includes(31))).toEqual([7, 31]);
  });

  it('the model test passes the reference engine', () => {
    expect(modelSearch({ name: 'bitcask', open: (o) => openStore('bitcask', o) }, {}, 3, 300).failure).toBeUndefined();
  });

  it('the model test finds a scan that ignores reverse and shrinks it to a few steps', () => {
    const bug = planted('no-reverse', (db) => ({ scan: (r?: Range) => db.scan({ ...r, reverse: false }) }));
    const v = modelSearch(bug, {}, 5, 300);
    expect(v.failure).toBeDefined();
    expect(v.failure!.program.length).toBeLessThanOrEqual(4);
    expect(v.failure!.program.map(showStep).join('\n')).toMatch(/scan .*"reverse":true/);
    expect(v.failure!.message).toMatch(/expected/);
  });

  it('the crash test finds a sync() that does not sync, shrinks the workload and names the crash point', () => {
    const bug = planted('no-sync', () => ({ sync: () => undefined }));
    const v = crashSearch(bug, {}, 'power loss at every file-system call', 6);
    expect(v.failure).toBeDefined();
    expect(v.failure!.workload.length).toBeLessThanOrEqual(3);
    expect(v.failure!.workload.map(showStep)).toContain('sync');
    expect(v.failure!.point).toMatch(/file-system call \d+ of \d+/);
    expect(v.failure!.problem).toMatch(/no prefix/);
  });

  it('the crash test passes the reference engine in every mode', () => {
    const ref: Subject = { name: 'bitcask', open: (o) => openStore('bitcask', o) };
    for (const mode of [
      'power loss at every file-system call',
      'torn write between operations',
      'failing fsync',
    ] as const) {
      expect(crashSearch(ref, { maxFileBytes: 512 }, mode, 3).failure, mode).toBeUndefined();
    }
  });
});
