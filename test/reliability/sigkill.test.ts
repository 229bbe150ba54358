/**
 * sigkill.test.ts: killed processes on real disk. A child process runs a workload on the
 * Node file system and is killed with SIGKILL at a random moment; the parent reopens the
 * store (taking over the dead child's lock) and checks the durability rule against what the
 * child acknowledged. While the child lives, a second opener is refused with KV_LOCKED.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, KVError } from '../../engines/index.js';
import { Model } from '../util/model.js';
import { Rng } from '../util/rng.js';
import { applyToModel, isWrite } from '../util/workload.js';
import { checkRecovered } from '../util/durability.js';
import { killWorkload } from './kill-workload.js';
import { PROFILES } from './profiles.js';
import { SEED, FULL, count, report } from './campaign.js';

const CHILD = join(import.meta.dirname, 'child.ts');
const TRIALS = FULL ? 100 : 25;

/** Runs the child until `killAfterMs` after it is ready, then SIGKILLs it; returns its output. */
function runAndKill(
  engine: string,
  dir: string,
  seed: number,
  tuning: object,
  killAfterMs: number,
  whileAlive: () => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, engine, dir, String(seed), JSON.stringify(tuning)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed && out.includes('ready\n')) {
        armed = true;
        try {
          whileAlive();
        } catch (e) {
          child.kill('SIGKILL');
          reject(e);
          return;
        }
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(out);
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

for (const profile of PROFILES) {
  describe(`${profile.name}: killed with SIGKILL on real disk`, () => {
    it(
      `recovers every acknowledged-durable write after ${TRIALS} kills at random moments`,
      async () => {
        for (let t = 0; t < TRIALS; t++) {
          const seed = SEED + 3000 + t;
          const rng = new Rng(seed);
          const dir = mkdtempSync(join(tmpdir(), `kv-kill-${profile.name}-`));
          try {
            const tuning = { ...profile.tuning };
            const out = await runAndKill(profile.engine, dir, seed, tuning, 5 + rng.int(400), () => {
              let refused: unknown;
              try {
                openStore(profile.engine, { ...tuning, dir }).close();
              } catch (e) {
                refused = e;
              }
              expect(refused instanceof KVError && refused.code, 'a second opener while the child lives').toBe(
                'KV_LOCKED',
              );
            });
            // What the child acknowledged.
            let completed = 0;
            let durable = 0;
            for (const line of out.split('\n')) {
              const [word, n] = line.split(' ');
              if (word === 'ack') completed = parseInt(n!, 10);
              if (word === 'durable') durable = parseInt(n!, 10);
            }
            const finished = out.includes('done\n');
            // The states each prefix of writes gives.
            const model = new Model();
            const states = [model.fingerprint()];
            for (const step of killWorkload(new Rng(seed))) {
              if (states.length > completed + 1) break;
              if (!isWrite(step)) continue;
              applyToModel(model, step);
              states.push(model.fingerprint());
            }
            const where = `${profile.name} trial ${t} (seed ${seed}): killed after ${completed} writes, ${durable} durable`;
            checkRecovered(
              () => openStore(profile.engine, { ...tuning, dir }),
              { states, durable, completed, inFlight: !finished },
              where,
            );
            count(profile.name, 'SIGKILL trials');
            if (!finished) count(profile.name, 'killed mid-run');
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
        report(profile.name);
        // Each trial starts a Node process with tsx (about a second, more on a busy machine):
        // the time allowed grows with the number of trials, not with the seconds of DURATION.
      },
      TRIALS * 10_000,
    );
  });
}
