/**
 * durability.ts: the durability rule of DESIGN.md as a verdict rather than an assertion, for
 * the step checks and the grader (which must go on after a failure to shrink it). Runs a
 * workload until it throws, tracking which contents a recovery may show.
 */
import type { KVStore } from '../engines/index.js';
import { storeFingerprint } from '../test/util/model.js';
import { type Step } from '../test/util/workload.js';
import { runUntilCrash as runSteps } from '../test/util/durability.js';

/** What a workload run until a crash allows a recovery to show. */
export interface Outcome {
  /** Model fingerprints after 0, 1, 2... completed writes. */
  states: string[];
  /** Writes acknowledged before the last completed sync or clean reopen. */
  durable: number;
  /** Writes acknowledged. */
  completed: number;
  /** A write was in flight at the crash: it may or may not have landed. */
  inFlight: boolean;
  db: KVStore | undefined;
  error: unknown;
  /** How many steps ran to the end. */
  ran: number;
}

/** Runs `steps` on a store from `open` until one throws (the test suites' own runner). */
export function runUntilCrash(open: () => KVStore, steps: Step[]): Outcome {
  return runSteps(open, steps);
}

/** Hex to bytes. */
function unhex(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
}

/** Bytes as a quoted string when printable, else hex; long values by length. */
function readable(b: Uint8Array, long: boolean): string {
  if (long && b.length > 24) return `<${b.length} bytes>`;
  return b.every((x) => x >= 0x20 && x < 0x7f)
    ? JSON.stringify(new TextDecoder().decode(b))
    : `0x${[...b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** A fingerprint (hex key=value pairs) as a learner reads it: at most 8 pairs, values short. */
export function short(fp: string): string {
  if (fp === '') return '(empty)';
  const pairs = fp.split(',').map((p) => {
    const [k, v] = p.split('=');
    return `${readable(unhex(k!), false)}=${readable(unhex(v!), true)}`;
  });
  return `{${pairs.slice(0, 8).join(', ')}${pairs.length > 8 ? `, ... ${pairs.length - 8} more` : ''}}`;
}

/**
 * Reopens after a crash and says what breaks the rule, or undefined when it holds: the
 * contents are some allowed prefix, a write after recovery sticks, a second reopen agrees.
 */
export function recoveryVerdict(open: () => KVStore, out: Outcome): string | undefined {
  let db: KVStore;
  try {
    db = open();
  } catch (e) {
    return `reopening after the crash threw ${(e as Error).message}`;
  }
  try {
    const fp = storeFingerprint(db);
    const last = out.completed + (out.inFlight ? 1 : 0);
    const allowed = out.states.slice(out.durable, last + 1);
    if (!allowed.includes(fp)) {
      return `the recovered contents match the state after no prefix of ${out.durable}..${last} writes\n  recovered: ${short(fp)}\n  expected (all writes): ${short(allowed[allowed.length - 1]!)}\n  expected (synced writes only): ${short(allowed[0]!)}`;
    }
    db.put('after-crash', 'ok');
    db.close();
    db = open();
    const back = db.get('after-crash');
    if (!back || new TextDecoder().decode(back) !== 'ok')
      return 'a put after recovery, then close and reopen, was lost';
    db.delete('after-crash');
    if (storeFingerprint(db) !== fp) return 'a second reopen shows other contents than the first';
    return undefined;
  } catch (e) {
    return `the recovered store threw ${(e as Error).message}`;
  } finally {
    try {
      db.close();
    } catch {
      // Already failed; the verdict says why.
    }
  }
}
