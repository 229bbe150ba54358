/**
 * iterator.ts: an abstract-level iterator over a store's scan().
 *
 * abstract-level hands the adapter range options already encoded to bytes (the adapter's
 * only format is 'view', a Uint8Array) and keeps count of `limit` itself, so the iterator is
 * a scan of the store with the range, read one pair at a time:
 *   - `gte` wins over `gt` and `lte` over `lt` when both are given (as abstract-level's tests
 *     require; the KVStore contract refuses both, so the adapter drops the weaker one);
 *   - seek(target) starts a new scan at `target` (forward: the first key >= target; reverse:
 *     the last key <= target), never outside the range the iterator was made with;
 *   - no snapshot: the scan sees writes made after it began, and BaseStore's re-seek makes
 *     that safe (no key twice, never out of order), which is what the manifest's
 *     `implicitSnapshots: false` promises.
 */
import { AbstractIterator } from 'abstract-level';
import { compareBytes } from '../bytes.js';
import type { KVStore, Range } from '../kv.js';
import { toLevelError } from './errors.js';

/** The options abstract-level passes to `_iterator()` (range bounds encoded as bytes). */
export interface PrivateIteratorOptions {
  gt?: Uint8Array;
  gte?: Uint8Array;
  lt?: Uint8Array;
  lte?: Uint8Array;
  reverse: boolean;
  limit: number;
  keys: boolean;
  values: boolean;
  keyEncoding: string;
  valueEncoding: string;
}

/** One bound of a range: the key and whether it is included. */
interface Edge {
  key: Uint8Array;
  inclusive: boolean;
}

/** A pair as abstract-level's private iterator API yields it. */
type Entry = [Uint8Array, Uint8Array];

/** The lower and upper bounds of Level range options (gte over gt, lte over lt). */
export function edgesOf(o: Partial<Pick<PrivateIteratorOptions, 'gt' | 'gte' | 'lt' | 'lte'>>): {
  lower?: Edge;
  upper?: Edge;
} {
  const out: { lower?: Edge; upper?: Edge } = {};
  if (o.gte !== undefined) out.lower = { key: o.gte, inclusive: true };
  else if (o.gt !== undefined) out.lower = { key: o.gt, inclusive: false };
  if (o.lte !== undefined) out.upper = { key: o.lte, inclusive: true };
  else if (o.lt !== undefined) out.upper = { key: o.lt, inclusive: false };
  return out;
}

/** A KVStore Range from two bounds (either may be absent). */
export function rangeOf(lower: Edge | undefined, upper: Edge | undefined, reverse: boolean): Range {
  const r: Range = { reverse };
  if (lower) r[lower.inclusive ? 'gte' : 'gt'] = lower.key;
  if (upper) r[upper.inclusive ? 'lte' : 'lt'] = upper.key;
  return r;
}

/** The tighter of two lower bounds (the higher one; on a tie, the exclusive one). */
function tighterLower(a: Edge | undefined, b: Edge): Edge {
  if (!a) return b;
  const c = compareBytes(a.key, b.key);
  return c > 0 || (c === 0 && !a.inclusive) ? a : b;
}

/** The tighter of two upper bounds (the lower one; on a tie, the exclusive one). */
function tighterUpper(a: Edge | undefined, b: Edge): Edge {
  if (!a) return b;
  const c = compareBytes(a.key, b.key);
  return c < 0 || (c === 0 && !a.inclusive) ? a : b;
}

/** An abstract-level iterator reading a store's scan() of one range. */
export class WorkbenchIterator<TDatabase> extends AbstractIterator<TDatabase, Uint8Array, Uint8Array> {
  readonly #store: KVStore;
  readonly #reverse: boolean;
  /** The bounds the iterator was made with; seek() never leaves them. */
  readonly #lower: Edge | undefined;
  readonly #upper: Edge | undefined;
  /** Where the next scan starts (set by seek), or undefined for the range's own start. */
  #from: Uint8Array | undefined;
  /** The scan in progress, started on the first read after creation or a seek. */
  #scan: Iterator<Entry> | undefined;

  /** Wraps `store` for the `_iterator()` call that received `options`. */
  constructor(db: TDatabase, options: PrivateIteratorOptions, store: KVStore) {
    super(db, options as never);
    this.#store = store;
    this.#reverse = options.reverse;
    const { lower, upper } = edgesOf(options);
    this.#lower = lower;
    this.#upper = upper;
  }

  /** The range of the next scan: the iterator's range, started at the seek target if there is one. */
  #range(): Range {
    let lower = this.#lower;
    let upper = this.#upper;
    if (this.#from !== undefined) {
      if (this.#reverse) upper = tighterUpper(upper, { key: this.#from, inclusive: true });
      else lower = tighterLower(lower, { key: this.#from, inclusive: true });
    }
    return rangeOf(lower, upper, this.#reverse);
  }

  /** The next pair of the scan (starting it if needed), or undefined at its end. */
  #step(): Entry | undefined {
    try {
      this.#scan ??= this.#store.scan(this.#range());
      const n = this.#scan.next();
      return n.done ? undefined : n.value;
    } catch (e) {
      throw toLevelError(e);
    }
  }

  /** abstract-level: the next entry, or undefined at the end. */
  async _next(): Promise<Entry | undefined> {
    return this.#step();
  }

  /** abstract-level: up to `size` entries (fewer only at the end). */
  async _nextv(size: number): Promise<Entry[]> {
    const out: Entry[] = [];
    while (out.length < size) {
      const e = this.#step();
      if (!e) break;
      out.push(e);
    }
    return out;
  }

  /** abstract-level: every remaining entry, at most the limit's remainder (abstract-level counts). */
  async _all(): Promise<Entry[]> {
    const left = this.limit === Infinity ? Infinity : this.limit - this.count;
    const out: Entry[] = [];
    while (out.length < left) {
      const e = this.#step();
      if (!e) break;
      out.push(e);
    }
    return out;
  }

  /** abstract-level: restarts the scan at `target` (within the iterator's range). */
  _seek(target: Uint8Array): void {
    this.#scan?.return?.();
    this.#scan = undefined;
    this.#from = target;
  }

  /** abstract-level: ends the scan. */
  async _close(): Promise<void> {
    this.#scan?.return?.();
    this.#scan = undefined;
  }
}
