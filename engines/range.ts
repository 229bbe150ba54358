/**
 * range.ts: a scan range checked and reduced to two bounds.
 *
 * `gt`/`gte` give the lower bound and `lt`/`lte` the upper; giving both forms of one bound
 * is an error (as it is ambiguous). Engines seek to the start bound and stop at the end one.
 */
import { KVError } from './errors.js';
import { compareBytes } from './bytes.js';
import { describe, type Limits, type Range } from './kv.js';
import { utf8 } from './bytes.js';

/** One bound of a range. */
export interface Bound {
  key: Uint8Array;
  inclusive: boolean;
}

/** A checked range. `limit` is Infinity when there is none. */
export interface Bounds {
  lower?: Bound;
  upper?: Bound;
  reverse: boolean;
  limit: number;
}

/** Checks a user's Range and returns its bounds; throws KV_BAD_RANGE on bad input. */
export function toBounds(range: Range | undefined, limits: Limits): Bounds {
  if (range === undefined || range === null) return { reverse: false, limit: Infinity };
  if (typeof range !== 'object') throw new KVError('KV_BAD_RANGE', `a range must be an object, not ${describe(range)}`);
  if (range.gt !== undefined && range.gte !== undefined) throw new KVError('KV_BAD_RANGE', 'give gt or gte, not both');
  if (range.lt !== undefined && range.lte !== undefined) throw new KVError('KV_BAD_RANGE', 'give lt or lte, not both');
  const bound = (k: unknown, name: string, inclusive: boolean): Bound | undefined => {
    if (k === undefined) return undefined;
    let b: Uint8Array;
    if (typeof k === 'string') b = utf8(k);
    else if (k instanceof Uint8Array) b = k;
    else throw new KVError('KV_BAD_RANGE', `range option ${name} must be a string or a Uint8Array, not ${describe(k)}`);
    // A bound longer than any key is still a valid bound; only its type matters.
    void limits;
    return { key: b, inclusive };
  };
  const lower = bound(range.gt, 'gt', false) ?? bound(range.gte, 'gte', true);
  const upper = bound(range.lt, 'lt', false) ?? bound(range.lte, 'lte', true);
  let limit = Infinity;
  if (range.limit !== undefined && range.limit !== -1) {
    if (typeof range.limit !== 'number' || !Number.isInteger(range.limit) || range.limit < 0) {
      throw new KVError(
        'KV_BAD_RANGE',
        `range option limit must be a whole number >= 0 (or -1 for none), not ${String(range.limit)}`,
      );
    }
    limit = range.limit;
  }
  if (range.reverse !== undefined && typeof range.reverse !== 'boolean') {
    throw new KVError('KV_BAD_RANGE', 'range option reverse must be true or false');
  }
  const out: Bounds = { reverse: range.reverse === true, limit };
  if (lower) out.lower = lower;
  if (upper) out.upper = upper;
  return out;
}

/** True when `key` is at or above the lower bound. */
export function aboveLower(key: Uint8Array, b: Bounds): boolean {
  if (!b.lower) return true;
  const c = compareBytes(key, b.lower.key);
  return c > 0 || (c === 0 && b.lower.inclusive);
}

/** True when `key` is at or below the upper bound. */
export function belowUpper(key: Uint8Array, b: Bounds): boolean {
  if (!b.upper) return true;
  const c = compareBytes(key, b.upper.key);
  return c < 0 || (c === 0 && b.upper.inclusive);
}

/** True when `key` lies within both bounds. */
export function inBounds(key: Uint8Array, b: Bounds): boolean {
  return aboveLower(key, b) && belowUpper(key, b);
}

/** True when no key can satisfy both bounds (the range is empty). */
export function isEmptyRange(b: Bounds): boolean {
  if (!b.lower || !b.upper) return b.limit === 0;
  const c = compareBytes(b.lower.key, b.upper.key);
  return b.limit === 0 || c > 0 || (c === 0 && !(b.lower.inclusive && b.upper.inclusive));
}
