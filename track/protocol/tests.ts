/**
 * tests.ts: grading an engine process (PROTOCOL.md): the model test (random programs against
 * a sorted map, restarting the process for each reopen, a failure shrunk to the shortest
 * program) and the SIGKILL test (killed at a random point, restarted, the durability rule
 * checked on what it recovers). Data lives on real disk in a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../engines/bytes.js';
import { Model, pairsHex } from '../../test/util/model.js';
import { Rng } from '../../test/util/rng.js';
import { applyToModel, isWrite, randomWorkload, SMALL_SHAPE, type Step } from '../../test/util/workload.js';
import { randomProgram, show, showStep, type ProgramStep } from '../grade/program.js';
import { shrinkAsync } from '../grade/shrink.js';
import { short } from '../durability.js';
import { ProcessEngine } from './process-engine.js';

/** A fresh temporary directory for one run, removed by `done`. */
function tempDir(): { dir: string; done: () => void } {
  const base = mkdtempSync(join(tmpdir(), 'kv-process-'));
  return { dir: join(base, 'db'), done: () => rmSync(base, { recursive: true, force: true }) };
}

/** Applies a workload step to a running engine; returns the engine (a new one after reopen). */
async function apply(e: ProcessEngine, s: Step, restart: () => Promise<ProcessEngine>): Promise<ProcessEngine> {
  switch (s.type) {
    case 'put':
      await e.put(s.key, s.value);
      return e;
    case 'delete':
      await e.delete(s.key);
      return e;
    case 'batch':
      await e.batch(s.ops);
      return e;
    case 'sync':
      await e.sync();
      return e;
    case 'compact':
      await e.compact();
      return e;
    case 'reopen':
      await e.close();
      return restart();
  }
}

/** Runs one program on a fresh directory; the first disagreement with the model, or undefined. */
export async function runProcessProgram(command: string[], program: ProgramStep[]): Promise<string | undefined> {
  const { dir, done } = tempDir();
  const restart = () => ProcessEngine.start(command, dir);
  const model = new Model();
  let e: ProcessEngine | undefined;
  try {
    e = await restart();
    for (let i = 0; i < program.length; i++) {
      const s = program[i]!;
      const at = `at step ${i + 1} (${showStep(s)})`;
      if (s.type === 'get') {
        const got = await e.get(s.key);
        const want = model.get(s.key);
        if ((got && toHex(got)) !== (want && toHex(want)))
          return `${at}: got ${got ? show(got) : 'null'}, expected ${want ? show(want) : 'null'}`;
      } else if (s.type === 'scan') {
        const got = pairsHex(await e.scan(s.range));
        const want = pairsHex(model.scan(s.range));
        if (JSON.stringify(got) !== JSON.stringify(want))
          return `${at}: got ${short(got.join(','))}, expected ${short(want.join(','))}`;
      } else {
        e = await apply(e, s, restart);
        applyToModel(model, s);
      }
    }
    await e.close();
    e = await restart();
    const got = pairsHex(await e.scan());
    if (JSON.stringify(got) !== JSON.stringify(pairsHex(model.scan())))
      return `after close and restart the contents differ: ${short(got.join(','))}, expected ${short(pairsHex(model.scan()).join(','))}`;
    await e.close();
    return undefined;
  } catch (err) {
    return `failed: ${(err as Error).message.split('\n').slice(0, 4).join(' ')}`;
  } finally {
    await e?.kill();
    done();
  }
}

/** What the model test found. */
export interface ProcessModelVerdict {
  programs: number;
  steps: number;
  failure?: { program: ProgramStep[]; message: string };
}

/** The model test over the protocol: `programs` random programs of `length` steps; a failure is shrunk in at most `shrinkBudget` reruns. */
export async function processModelTest(
  command: string[],
  programs = 4,
  length = 250,
  seed = 31,
  shrinkBudget = 150,
): Promise<ProcessModelVerdict> {
  let steps = 0;
  for (let p = 0; p < programs; p++) {
    // Fewer reopens than in-process: each one restarts the program.
    const program = randomProgram(new Rng(seed + p), length);
    steps += program.length;
    if ((await runProcessProgram(command, program)) === undefined) continue;
    const small = await shrinkAsync(
      program,
      async (xs) => (await runProcessProgram(command, xs)) !== undefined,
      shrinkBudget,
    );
    return {
      programs: p + 1,
      steps,
      failure: {
        program: small,
        message: (await runProcessProgram(command, small)) ?? 'flaky: the shrunk program passed on its last run',
      },
    };
  }
  return { programs, steps };
}

/** What the SIGKILL test found. */
export interface KillVerdict {
  kills: number;
  failure?: { round: number; workload: Step[]; killedAfter: number; problem: string };
}

/** Fingerprint of the model after each write of `steps`, and which are durable. */
function modelStates(steps: Step[]): { states: string[]; durableAfter: number[] } {
  const m = new Model();
  const states = [m.fingerprint()];
  const durableAfter: number[] = [];
  let writes = 0;
  let durable = 0;
  for (const s of steps) {
    if (isWrite(s)) {
      applyToModel(m, s);
      writes++;
      states.push(m.fingerprint());
    } else if (s.type === 'sync' || s.type === 'reopen') durable = writes;
    durableAfter.push(durable);
  }
  return { states, durableAfter };
}

/**
 * The SIGKILL test: each round runs a random workload, kills the process after `k` acknowledged
 * steps (with the next one sent and not yet answered, half the time), restarts it, and checks
 * the contents are the state after a prefix of the writes that includes every synced one.
 */
export async function processKillTest(command: string[], rounds = 12, seed = 77): Promise<KillVerdict> {
  for (let r = 0; r < rounds; r++) {
    const rng = new Rng(seed + r);
    const steps = randomWorkload(rng, 10 + rng.int(40), { ...SMALL_SHAPE, pReopen: 0.02 });
    const k = rng.int(steps.length + 1);
    const inFlight = k < steps.length && rng.chance(0.5);
    const { dir, done } = tempDir();
    const restart = () => ProcessEngine.start(command, dir);
    let e: ProcessEngine | undefined;
    try {
      e = await restart();
      for (let i = 0; i < k; i++) e = await apply(e, steps[i]!, restart);
      if (inFlight) void apply(e, steps[k]!, restart).catch(() => undefined);
      await e.kill();
      const { states, durableAfter } = modelStates(steps);
      const writesBefore = steps.slice(0, k).filter(isWrite).length;
      const durable = k === 0 ? 0 : durableAfter[k - 1]!;
      const last = writesBefore + (inFlight && isWrite(steps[k]!) ? 1 : 0);
      e = await restart();
      const fp = pairsHex(await e.scan()).join(',');
      await e.close();
      const allowed = states.slice(durable, last + 1);
      if (!allowed.includes(fp)) {
        return {
          kills: r + 1,
          failure: {
            round: r,
            workload: steps.slice(0, k + (inFlight ? 1 : 0)),
            killedAfter: k,
            problem: `after SIGKILL and restart the contents match no prefix of ${durable}..${last} writes\n  recovered: ${short(fp)}\n  expected at least (synced): ${short(allowed[0]!)}\n  expected at most: ${short(allowed[allowed.length - 1]!)}`,
          },
        };
      }
    } catch (err) {
      return {
        kills: r + 1,
        failure: {
          round: r,
          workload: steps.slice(0, k + 1),
          killedAfter: k,
          problem: (err as Error).message.split('\n').slice(0, 4).join(' '),
        },
      };
    } finally {
      await e?.kill();
      done();
    }
  }
  return { kills: rounds };
}
