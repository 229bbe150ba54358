/**
 * replica.ts: one node of the simulated cluster: the project's own engine on its own memory
 * file system, and how the cluster keeps its data and its hints in that one store. Keys are
 * prefixed: "d/<key>" for the node's own copy, "h/<node>/<key>" for a hint held for another
 * node; values are "<tick>|<value>". No DOM.
 */
import { openStore } from '../../engines/browser.js';
import type { EngineName, KVStore } from '../../engines/kv.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';

/** A value with the clock tick of the put that wrote it. */
export interface Versioned {
  value: string;
  ts: number;
}

/** One node as drawn. */
export interface NodePicture {
  name: string;
  up: boolean;
  data: { key: string; value: string; ts: number }[];
  hints: { for: string; key: string; value: string; ts: number }[];
  bytesWritten: number;
  diskBytes: number;
}

const DATA = 'd/';
const HINT = 'h/';
const dec = new TextDecoder();

/** Encodes a versioned value as the engine's value bytes: "<ts>|<value>". */
function encode(v: Versioned): string {
  return `${v.ts}|${v.value}`;
}

/** Decodes what encode() wrote. */
function decode(s: string): Versioned {
  const bar = s.indexOf('|');
  return { ts: Number(s.slice(0, bar)), value: s.slice(bar + 1) };
}

/** A node: its engine on its own memory file system, up or down. */
export class Replica {
  up = true;
  readonly fs = new MemoryFileSystem();
  private readonly db: KVStore;

  constructor(
    readonly name: string,
    engine: EngineName,
  ) {
    this.db = openStore(engine, { dir: `/${name}`, fs: this.fs });
  }

  /** This node's own copy of `key`. */
  read(key: string): Versioned | undefined {
    const v = this.db.get(DATA + key);
    return v === undefined ? undefined : decode(dec.decode(v));
  }

  /** Stores `v` (or keeps it as a hint for `hintFor`), unless the node already holds a newer copy. */
  store(key: string, v: Versioned, hintFor?: string): void {
    if (hintFor) {
      this.db.put(`${HINT}${hintFor}/${key}`, encode(v));
      return;
    }
    const cur = this.read(key);
    if (!cur || cur.ts < v.ts) this.db.put(DATA + key, encode(v));
  }

  /** Every key of its own data with its version, in key order. */
  *entries(): IterableIterator<{ key: string } & Versioned> {
    for (const [k, v] of this.db.scan({ gte: DATA, lt: 'd0' }))
      yield { key: dec.decode(k).slice(DATA.length), ...decode(dec.decode(v)) };
  }

  /** Removes and returns the hints this node holds for `node`. */
  takeHints(node: string): ({ key: string } & Versioned)[] {
    const out: ({ key: string } & Versioned)[] = [];
    for (const [k, v] of [...this.db.scan({ gte: `${HINT}${node}/`, lt: `${HINT}${node}0` })]) {
      out.push({ key: dec.decode(k).slice(HINT.length + node.length + 1), ...decode(dec.decode(v)) });
      this.db.delete(k);
    }
    return out;
  }

  /** The node as drawn: its data, its hints, its engine's counters. */
  picture(): NodePicture {
    const data: NodePicture['data'] = [];
    const hints: NodePicture['hints'] = [];
    for (const [k, v] of this.db.scan()) {
      const key = dec.decode(k);
      const val = decode(dec.decode(v));
      if (key.startsWith(DATA)) data.push({ key: key.slice(DATA.length), ...val });
      else if (key.startsWith(HINT)) {
        const rest = key.slice(HINT.length);
        const slash = rest.indexOf('/');
        hints.push({ for: rest.slice(0, slash), key: rest.slice(slash + 1), ...val });
      }
    }
    const st = this.db.stats();
    return { name: this.name, up: this.up, data, hints, bytesWritten: st.bytesWritten, diskBytes: st.diskBytes };
  }

  /** Closes the node's store. */
  close(): void {
    this.db.close();
  }
}
