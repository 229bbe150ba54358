/**
 * check.ts: a step's tests as plain functions. A check throws (an AssertionError or any
 * error the engine throws) when the behaviour it names is missing; runChecks() runs a list
 * on one subject and says which passed. Plain functions rather than vitest files, so the
 * step runner, the grader and the proof test run them in-process in well under a second.
 */
import { AssertionError } from 'node:assert';
import { KVError, isKVError } from '../engines/index.js';
import type { Subject } from './subject.js';

/** One behaviour a step asks for. `title` reads as a spec. */
export interface Check {
  step: number;
  title: string;
  run(subject: Subject): void;
}

/** What running one check gave. */
export interface CheckResult {
  check: Check;
  ok: boolean;
  /** For a failure: what was expected, or the error the engine threw. */
  message?: string;
  /** True when the failure is a "not written yet" error from the scaffold. */
  notWritten?: boolean;
}

/** Runs `checks` on `subject`, each on its own: a failing check does not stop the others. */
export function runChecks(checks: Check[], subject: Subject): CheckResult[] {
  return checks.map((check) => {
    try {
      check.run(subject);
      return { check, ok: true };
    } catch (e) {
      return { check, ok: false, message: explain(e), notWritten: isKVError(e, 'KV_NOT_WRITTEN') };
    }
  });
}

/** A failure as a learner reads it: the assertion's message, or the error's code and message. */
export function explain(e: unknown): string {
  if (e instanceof AssertionError) return e.message;
  if (e instanceof KVError)
    return `${e.code}: ${e.message}${e.file ? ` (file ${e.file}${e.offset !== undefined ? ` at ${e.offset}` : ''})` : ''}`;
  if (e instanceof Error) return `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 4).join('\n')}`;
  return String(e);
}

/** The check of `checks` whose title is `title`, as a check of step `step` of another track. */
export function reuse(checks: Check[], title: string, step: number): Check {
  const c = checks.find((x) => x.title === title);
  if (!c) throw new Error(`no check titled ${JSON.stringify(title)}`);
  return { ...c, step };
}
