/**
 * child.ts: the process the SIGKILL test kills. It runs a seeded workload on real files and
 * reports, on stdout (a pipe, written synchronously), each write it completed and each sync
 * or clean reopen that completed: `ack <writes>` and `durable <writes>`.
 *
 *   node --import tsx test/reliability/child.ts <engine> <dir> <seed> <tuning-json>
 */
import { writeSync } from 'node:fs';
import { openStore } from '../../engines/index.js';
import type { EngineName } from '../../engines/index.js';
import { Rng } from '../util/rng.js';
import { applyToStore, isWrite } from '../util/workload.js';
import { killWorkload } from './kill-workload.js';

const [engine, dir, seedText, tuningText] = process.argv.slice(2);
const tuning = JSON.parse(tuningText ?? '{}');
const open = () => openStore(engine as EngineName, { ...tuning, dir: dir! });
let db = open();
writeSync(1, 'ready\n');
let writes = 0;
for (const step of killWorkload(new Rng(parseInt(seedText!, 10)))) {
  db = applyToStore(db, step, open);
  if (isWrite(step)) writeSync(1, `ack ${++writes}\n`);
  else if (step.type === 'sync' || step.type === 'reopen') writeSync(1, `durable ${writes}\n`);
}
db.close();
writeSync(1, `durable ${writes}\ndone\n`);
