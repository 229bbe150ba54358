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

/** A choice among names: `fallback` when absent, else one of `choices`. */
export function choiceOption<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new KVError(
      'KV_BAD_OPTION',
      `${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, not ${String(value)}`,
    );
  }
  return value as T;
}
