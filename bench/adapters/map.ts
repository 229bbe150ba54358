/**
 * map.ts: the ceiling for in-memory work: a plain JS Map, keyed by the key's bytes as a
 * latin1 string, no files at all. The first scan sorts the keys; later inserts splice
 * into that order (a delete drops it, to be sorted again by the next scan); a scan
 * binary-searches its start.
 */
import type { AdapterStats, BenchKV, Subject } from '../adapter.js';

/** The key bytes as a string, one char per byte (order-preserving). */
function asString(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

/** A Map with the BenchKV interface. */
class MapKV implements BenchKV {
  private readonly map = new Map<string, Uint8Array>();
  private sorted: string[] | undefined;

  /** Map.get. */
  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(asString(key));
  }
  /** Map.set; a new key joins the sorted keys if they exist. */
  put(key: Uint8Array, value: Uint8Array): void {
    const k = asString(key);
    // Once scans have sorted the keys, a new key is spliced in (cheap next to a re-sort);
    // before that (a fill), nothing is kept sorted at all.
    if (this.sorted && !this.map.has(k)) this.sorted.splice(this.lowerBound(k), 0, k);
    this.map.set(k, value);
  }
  /** Map.delete; drops the sorted keys. */
  delete(key: Uint8Array): void {
    if (this.map.delete(asString(key))) this.sorted = undefined;
  }
  /** Puts every pair. */
  batch(pairs: [Uint8Array, Uint8Array][]): void {
    for (const [k, v] of pairs) this.put(k, v);
  }
  /** Visits up to `limit` keys in order from the first >= `from`. */
  scan(from: Uint8Array | undefined, limit: number): number {
    const keys = (this.sorted ??= [...this.map.keys()].sort());
    const lo = from ? this.lowerBound(asString(from)) : 0;
    let n = 0;
    for (let i = lo; i < keys.length && n < limit; i++) n += this.map.get(keys[i]!) ? 1 : 0;
    return n;
  }
  /** The index of the first sorted key >= k (latin1 strings compare as the bytes do). */
  private lowerBound(k: string): number {
    const keys = this.sorted!;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Nothing to make durable. */
  sync(): void {}
  /** Nothing to release. */
  close(): void {}
  /** No I/O to report; the key count. */
  stats(): AdapterStats {
    return {
      bytesWritten: 0,
      bytesRead: 0,
      syncs: 0,
      diskBytes: 0,
      liveKeys: this.map.size,
      memoryBytes: undefined,
      ioSource: 'none',
    };
  }
}

/** The plain-Map limit. */
export function mapSubject(): Subject {
  return {
    name: 'limit-map',
    kind: 'limit',
    lacks: new Set(['reopen', 'trace']),
    async load() {
      return {};
    },
    open() {
      return new MapKV();
    },
  };
}
