/**
 * program.ts: a model-test program: writes, syncs, reopens and compactions (workload.ts) plus
 * reads; running one on an engine and on the sorted model, and printing one for a learner.
 */
import { MemoryFileSystem, toHex } from '../../engines/index.js';
import type { KVStore, Range } from '../../engines/index.js';
import { Model, pairsHex } from '../../test/util/model.js';
import { Rng } from '../../test/util/rng.js';
import { applyToModel, applyToStore, randomOp, type Step, type WorkloadShape } from '../../test/util/workload.js';
import type { Subject } from '../subject.js';
import { explain } from '../check.js';
import { short } from '../durability.js';

/** A step of a program: a workload step or a read checked against the model. */
export type ProgramStep = Step | { type: 'get'; key: Uint8Array } | { type: 'scan'; range: Range };

/** The shape of the model test's random programs. */
const SHAPE: WorkloadShape = {
  keys: 40,
  maxValue: 24,
  bigValue: 600,
  pSync: 0.03,
  pReopen: 0.02,
  pCompact: 0.01,
  emptyKey: true,
};

/** A random program of `n` steps. */
export function randomProgram(rng: Rng, n: number): ProgramStep[] {
  const out: ProgramStep[] = [];
  const key = () => `k${String(rng.int(SHAPE.keys)).padStart(4, '0')}`;
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.2) out.push({ type: 'get', key: randomOp(rng, SHAPE).key });
    else if (r < 0.25) {
      const range: Range = {};
      if (rng.chance(0.5)) range.gte = key();
      if (rng.chance(0.5)) range.lt = key();
      if (rng.chance(0.3)) range.reverse = true;
      if (rng.chance(0.3)) range.limit = rng.int(10);
      out.push({ type: 'scan', range });
    } else if (r < 0.28) out.push({ type: 'sync' });
    else if (r < 0.3) out.push({ type: 'reopen' });
    else if (r < 0.31) out.push({ type: 'compact' });
    else if (r < 0.38)
      out.push({ type: 'batch', ops: Array.from({ length: 1 + rng.int(5) }, () => randomOp(rng, SHAPE)) });
    else out.push(randomOp(rng, SHAPE));
  }
  return out;
}

/** Shows bytes as a string when they are printable ASCII, else as hex. */
export function show(b: Uint8Array): string {
  if (b.length === 0) return '""';
  const s = new TextDecoder().decode(b);
  return b.every((x) => x >= 0x20 && x < 0x7f) ? JSON.stringify(s) : `0x${toHex(b)}`;
}

/** Shows a value briefly: short ones whole, long ones by length. */
function showValue(b: Uint8Array): string {
  return b.length > 24 ? `<${b.length} bytes>` : show(b);
}

/** One program step as a line a learner can read (and type into a test). */
export function showStep(s: ProgramStep): string {
  switch (s.type) {
    case 'put':
      return `put ${show(s.key)} ${showValue(s.value)}`;
    case 'delete':
      return `delete ${show(s.key)}`;
    case 'batch':
      return `batch [${s.ops.map((o) => (o.type === 'put' ? `put ${show(o.key)} ${showValue(o.value)}` : `delete ${show(o.key)}`)).join(', ')}]`;
    case 'get':
      return `get ${show(s.key)}`;
    case 'scan':
      return `scan ${JSON.stringify(s.range)}`;
    default:
      return s.type;
  }
}

/** Runs `program` on a fresh store and on the model; the first disagreement, or undefined. */
export function runProgram(
  subject: Subject,
  program: ProgramStep[],
  tuning: Record<string, unknown>,
): string | undefined {
  const fs = new MemoryFileSystem();
  const open = () => subject.open({ ...tuning, fs, dir: '/model' });
  const model = new Model();
  let db: KVStore | undefined;
  try {
    db = open();
    for (let i = 0; i < program.length; i++) {
      const s = program[i]!;
      const at = `at step ${i + 1} (${showStep(s)})`;
      if (s.type === 'get') {
        const got = db.get(s.key);
        const want = model.get(s.key);
        if ((got && toHex(got)) !== (want && toHex(want)))
          return `${at}: got ${got ? show(got) : 'undefined'}, expected ${want ? show(want) : 'undefined'}`;
      } else if (s.type === 'scan') {
        const got = pairsHex(db.scan(s.range));
        const want = pairsHex(model.scan(s.range));
        // short() reads a fingerprint (hex key=value, comma-separated) and keeps the order.
        if (JSON.stringify(got) !== JSON.stringify(want))
          return `${at}: got ${got.length} pairs ${short(got.join(','))}, expected ${want.length} ${short(want.join(','))}`;
      } else {
        db = applyToStore(db, s, open);
        applyToModel(model, s);
      }
    }
    db.close();
    db = open();
    const got = pairsHex(db.scan());
    const want = pairsHex(model.scan());
    if (JSON.stringify(got) !== JSON.stringify(want))
      return `after the program, close and reopen: a full scan shows ${got.length} pairs, the model ${want.length}`;
    return undefined;
  } catch (e) {
    return `threw ${explain(e).split('\n')[0]}`;
  } finally {
    try {
      db?.close();
    } catch {
      // The verdict is already decided.
    }
  }
}
