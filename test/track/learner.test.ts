/**
 * learner.test.ts: a Bitcask written from the track's pages alone (test/track/learner-bitcask/,
 * without the reference engine's code) passes every step of the track and the grader's model
 * and crash tests, through the same registration a learner's engine in yours/ gets.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { openStore, MemoryFileSystem } from '../../engines/index.js';
import type { EngineName, TraceEvent } from '../../engines/index.js';
import { runChecks } from '../../track/check.js';
import { ROOT, loadEngineFrom } from '../../track/learners.js';
import { subjectFor } from '../../track/subject.js';
import { BITCASK } from '../../track/bitcask/index.js';
import { modelSearch } from '../../track/grade/model-search.js';
import { CRASH_MODES, crashSearch } from '../../track/grade/crash-search.js';

const NAME = 'learner-bitcask';

describe('a Bitcask written from the pages', () => {
  beforeAll(async () => {
    await loadEngineFrom(NAME, join(ROOT, 'test/track/learner-bitcask'));
  });

  it('passes every step of the Bitcask track', () => {
    const failed = runChecks(BITCASK.checks, subjectFor(NAME)).filter((r) => !r.ok);
    expect(failed.map((r) => `step ${r.check.step}: ${r.check.title}: ${r.message}`)).toEqual([]);
  });

  it("passes the grader's model test and its crash test in every mode", () => {
    const subject = subjectFor(NAME);
    expect(modelSearch(subject, BITCASK.tuning, 3, 300).failure).toBeUndefined();
    for (const mode of CRASH_MODES) expect(crashSearch(subject, BITCASK.tuning, mode, 4).failure, mode).toBeUndefined();
  });

  it('opens through openStore() and, traced, emits op and io events it has no code for', () => {
    const events: TraceEvent[] = [];
    const db = openStore(NAME as EngineName, { dir: '/t', fs: new MemoryFileSystem(), trace: (e) => events.push(e) });
    db.put('a', '1');
    db.close();
    const ops = events
      .filter((e) => e.type === 'op')
      .map((e) => `${(e as { op: string }).op}:${(e as { phase: string }).phase}`);
    expect(ops).toEqual(['open:begin', 'open:end', 'put:begin', 'put:end', 'close:begin', 'close:end']);
    expect(events.some((e) => e.type === 'io')).toBe(true);
  });
});
