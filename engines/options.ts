/**
 * options.ts: checking engine tuning options, so every engine refuses a bad one the same way
 * (KV_BAD_OPTION naming the option and the value it got).
 */
import { KVError } from './errors.js';

/** A whole-number option: `fallback` when absent, else a safe integer >= `min`. */
export function wholeOption(name: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new KVError('KV_BAD_OPTION', `${name} must be a whole number >= ${min}, not ${String(value)}`);
  }
  return value;
}
