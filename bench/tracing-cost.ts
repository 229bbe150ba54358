/**
 * tracing-cost.ts: what the counting/tracing wrapper costs an engine with no listener,
 * measured as alternating pairs of small fills (through the wrapper, then bare, then bare,
 * then through the wrapper, ...) in one process, so that drift in the machine's load hits
 * both sides alike; the medians are compared. Single fills seconds apart differ by more
 * than the 3% the goal allows on a shared machine; pairs narrow that. A first pair warms
 * up both paths and is not counted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Subject } from './adapter.js';
import { presentKey, type Values } from './keys.js';
import type { Random } from './random.js';

/** Pairs of fills, and items per fill. */
export const PAIRED_ROUNDS = 5;
export const PAIRED_ITEMS = 10_000;

/** The medians of the paired fills, in puts per second. */
export interface PairedFills {
  rounds: number;
  items: number;
  wrappedOpsPerSec: number;
  bareOpsPerSec: number;
}

/** The median of a non-empty list. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One timed fill of `items` random keys into a new store in `dir`, ending with sync; puts per second. */
async function fillOnce(
  subject: Subject,
  dir: string,
  bare: boolean,
  order: Uint32Array,
  items: number,
  values: Values,
): Promise<number> {
  fs.rmSync(dir, { recursive: true, force: true });
  const kv = await subject.open(dir, { bare });
  try {
    const t0 = performance.now();
    for (let i = 0; i < items; i++) {
      const r = kv.put(presentKey(order[i]!), values.next());
      if (r !== undefined) await r;
    }
    await kv.sync();
    return (items / (performance.now() - t0)) * 1000;
  } finally {
    await kv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs PAIRED_ROUNDS pairs of fills under `scratch`, alternating which side goes first. */
export async function pairedFills(
  subject: Subject,
  scratch: string,
  keys: number,
  values: Values,
  random: Random,
): Promise<PairedFills> {
  const items = Math.min(keys, PAIRED_ITEMS);
  const order = random.permutation(keys);
  const wrapped: number[] = [];
  const bare: number[] = [];
  // Round -1 is a warm-up pair, not counted: after it, the engine's call sites have seen both
  // kinds of file handle, so neither side pays the other's deoptimization.
  for (let round = -1; round < PAIRED_ROUNDS; round++) {
    const sides = round % 2 === 0 ? [false, true] : [true, false];
    for (const isBare of sides) {
      const rate = await fillOnce(
        subject,
        path.join(scratch, `paired-${round + 1}-${isBare ? 'bare' : 'wrapped'}`),
        isBare,
        order,
        items,
        values,
      );
      if (round >= 0) (isBare ? bare : wrapped).push(rate);
    }
  }
  return { rounds: PAIRED_ROUNDS, items, wrappedOpsPerSec: median(wrapped), bareOpsPerSec: median(bare) };
}
