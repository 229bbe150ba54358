/**
 * model-search.ts: the grader's model test: random programs run on the engine and on the
 * sorted model; the first that disagrees is shrunk to the shortest program that still does.
 */
import { Rng } from '../../test/util/rng.js';
import type { Subject } from '../subject.js';
import { randomProgram, runProgram, type ProgramStep } from './program.js';
import { shrink } from './shrink.js';

/** What the model test found. */
export interface ModelVerdict {
  programs: number;
  steps: number;
  failure?: { seed: number; length: number; program: ProgramStep[]; message: string };
}

/** Runs `programs` random programs of `length` steps from `seed`; shrinks the first failure. */
export function modelSearch(
  subject: Subject,
  tuning: Record<string, unknown>,
  programs = 30,
  length = 400,
  seed = 19,
): ModelVerdict {
  let steps = 0;
  for (let p = 0; p < programs; p++) {
    const program = randomProgram(new Rng(seed + p), length);
    steps += program.length;
    const message = runProgram(subject, program, tuning);
    if (message === undefined) continue;
    const small = shrink(program, (xs) => runProgram(subject, xs, tuning) !== undefined);
    return {
      programs: p + 1,
      steps,
      failure: { seed: seed + p, length: program.length, program: small, message: runProgram(subject, small, tuning)! },
    };
  }
  return { programs, steps };
}
