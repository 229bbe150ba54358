/**
 * sizes-job.ts: what `npm run sizes` (sizes.ts) asks one child (sizes-child.ts) to do, shared
 * by both without either importing the other (the child runs its job when loaded).
 */
import type { EngineName } from '../engines/index.js';

/** One measurement: fill a new store, or reopen a filled one and measure it. */
export interface SizesJob {
  mode: 'fill' | 'open';
  engine: EngineName;
  keys: number;
  valueBytes: number;
  gets: number;
  dir: string;
  seed: number;
}

/** Puts per batch() of the fill: a bulk load, so the million-key runs stay within minutes. */
export const FILL_BATCH = 1000;
