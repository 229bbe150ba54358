/**
 * map.ts: the ceiling for in-memory work: a plain JS Map, keyed by the key's bytes as a
 * latin1 string, no files at all. Scans sort the keys once after a change (as the
 * snapshot engine does) and binary-search the start.
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

  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(asString(key));
  }
  put(key: Uint8Array, value: Uint8Array): void {
    const k = asString(key);
    if (this.sorted && !this.map.has(k)) this.sorted = undefined;
    this.map.set(k, value);
  }
  delete(key: Uint8Array): void {
    if (this.map.delete(asString(key))) this.sorted = undefined;
  }
  batch(pairs: [Uint8Array, Uint8Array][]): void {
    for (const [k, v] of pairs) this.put(k, v);
  }
  /** Visits up to `limit` keys in order from the first >= `from`. */
  scan(from: Uint8Array | undefined, limit: number): number {
    const keys = (this.sorted ??= [...this.map.keys()].sort());
    // Binary search for the first key >= from (latin1 strings compare as the bytes do).
    let lo = 0;
    if (from) {
      const f = asString(from);
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid]! < f) lo = mid + 1;
        else hi = mid;
      }
    }
    let n = 0;
    for (let i = lo; i < keys.length && n < limit; i++) n += this.map.get(keys[i]!) ? 1 : 0;
    return n;
  }
  sync(): void {}
  close(): void {}
  stats(): AdapterStats {
    return { bytesWritten: 0, bytesRead: 0, syncs: 0, diskBytes: 0, liveKeys: this.map.size, memoryBytes: undefined, ioSource: 'none' };
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
