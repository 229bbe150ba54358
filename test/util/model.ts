/**
 * model.ts: the reference every engine is checked against: a plain sorted map of byte
 * strings, with the same scan semantics as the contract.
 */
import { compareBytes, toHex, fromHex } from '../../engines/bytes.js';
import type { KVStore, Range } from '../../engines/kv.js';
import { toBounds, inBounds } from '../../engines/range.js';

const NO_LIMITS = { maxKeyBytes: Infinity, maxValueBytes: Infinity };

/** A byte-string map with bytewise-ordered scans. */
export class Model {
  private map = new Map<string, Uint8Array>();

  put(key: Uint8Array, value: Uint8Array): void {
    this.map.set(toHex(key), value.slice());
  }

  delete(key: Uint8Array): void {
    this.map.delete(toHex(key));
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(toHex(key));
  }

  get size(): number {
    return this.map.size;
  }

  /** A deep copy. */
  clone(): Model {
    const m = new Model();
    for (const [k, v] of this.map) m.map.set(k, v);
    return m;
  }

  /** The pairs within `range`, as the contract orders and limits them. */
  scan(range?: Range): [Uint8Array, Uint8Array][] {
    const b = toBounds(range, NO_LIMITS);
    const all = [...this.map.entries()].map(([k, v]) => [fromHex(k), v] as [Uint8Array, Uint8Array]);
    all.sort((x, y) => compareBytes(x[0], y[0]));
    const hits = all.filter(([k]) => inBounds(k, b));
    if (b.reverse) hits.reverse();
    return hits.slice(0, b.limit === Infinity ? undefined : b.limit);
  }

  /** A canonical text form of the whole map, for equality checks and failure messages. */
  fingerprint(): string {
    return this.scan()
      .map(([k, v]) => `${toHex(k)}=${toHex(v)}`)
      .join(',');
  }
}

/** The canonical text form of a store's whole contents (by a full scan). */
export function storeFingerprint(db: KVStore): string {
  return [...db.scan()].map(([k, v]) => `${toHex(k)}=${toHex(v)}`).join(',');
}

/** Pairs as readable hex, for assertion messages. */
export function pairsHex(pairs: Iterable<[Uint8Array, Uint8Array]>): string[] {
  return [...pairs].map(([k, v]) => `${toHex(k)}=${toHex(v)}`);
}
