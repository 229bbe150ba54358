/**
 * memtable.ts: the memtable, a skiplist sorted by key (LevelDB's skiplist.h and memtable.cc).
 *
 * Keys are compared as binary strings (one code unit per byte, so `<` is memcmp order),
 * which the engine compares natively instead of byte by byte in JS.
 *
 * A skiplist is a sorted linked list with express lanes: every node is on level 0, and each
 * node is also on the next level up with probability 1/4, up to MAX_HEIGHT levels. A search
 * starts on the top level and drops a level each time the next node would overshoot, so it
 * takes O(log n) steps, like a balanced tree, with no rebalancing.
 *
 * One node per user key: a newer write to a key replaces the node's value, sequence number
 * and kind in place (the engine has no snapshots, so older versions are never read). A delete
 * stores a tombstone, because older values of the key may sit in SSTables below.
 *
 * Beside the skiplist, a hash from each key (as a binary string) to its node answers point
 * lookups and finds the node an overwrite replaces without a search (RocksDB's hash-indexed
 * memtables do the same); the skiplist keeps the order that flushes and scans need.
 *
 * Heights come from a seeded generator, so the same writes build the same skiplist (and the
 * same trace) every time.
 *
 * `bytes` approximates what the memtable will take on disk: key + value + 8-byte trailer per
 * entry. When it reaches memtableBytes the store freezes the memtable and flushes it.
 */
import { binaryString } from '../bytes.js';
import { KIND_PUT, TRAILER, type Entry, type Kind } from './format.js';

/** The most levels a node can have. */
export const MAX_HEIGHT = 12;
/** One node in four is promoted to the next level. */
const BRANCHING = 4;

/** A skiplist node: an entry and its forward links, one per level it is on. */
interface Node extends Entry {
  /** The key as a binary string: the hash's key, and what the skiplist compares (with <, in memcmp order). */
  s: string;
  next: (Node | null)[];
}

/** The memtable. */
export class Memtable {
  private readonly head: Node;
  /** Levels in use (1 to MAX_HEIGHT). */
  height = 1;
  /** Nodes (distinct keys). */
  count = 0;
  /** Approximate encoded size: key + value + trailer per entry. */
  bytes = 0;
  /** Tombstones among the nodes. */
  tombstones = 0;
  /** Every node by its key as a binary string (the point-lookup hash). */
  private readonly byKey = new Map<string, Node>();
  /** Bytes of the keys held (for memory()). */
  private keyBytes = 0;
  /** insert()'s search path, reused by every insert (no array per write). */
  private readonly prev = new Array<Node>(MAX_HEIGHT);
  /** A 32-bit xorshift state for node heights. */
  private rand = 0xdeadbeef;

  /** An empty memtable; `log` is the number of the log file that holds its writes. */
  constructor(readonly log: number) {
    this.head = {
      key: new Uint8Array(0),
      s: '',
      seq: 0,
      kind: KIND_PUT,
      value: new Uint8Array(0),
      next: new Array<Node | null>(MAX_HEIGHT).fill(null),
    };
  }

  /** A random height: 1, then +1 with probability 1/4 each time. */
  private randomHeight(): number {
    let h = 1;
    while (h < MAX_HEIGHT && this.nextRandom() % BRANCHING === 0) h++;
    return h;
  }

  /** xorshift32. */
  private nextRandom(): number {
    let x = this.rand;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rand = x >>> 0;
    return this.rand;
  }

  /**
   * The last node before `key` on every level (`prev[i]` on level i), and the node at `key`
   * if there is one. This is the search every operation shares.
   */
  private findGreaterOrEqual(key: string, prev?: Node[]): Node | null {
    let x = this.head;
    let level = this.height - 1;
    for (;;) {
      const next = x.next[level]!;
      if (next && next.s < key) {
        x = next; // keep moving right on this level
      } else {
        if (prev) prev[level] = x;
        if (level === 0) return next;
        level--; // drop down a level
      }
    }
  }

  /** The last node with a key < `key` (the head if none). */
  private findLessThan(key: string): Node {
    let x = this.head;
    for (let level = this.height - 1; level >= 0; level--) {
      for (let next = x.next[level]!; next && next.s < key; next = x.next[level]!) x = next;
    }
    return x;
  }

  /** The last node (the head if empty). */
  private findLast(): Node {
    let x = this.head;
    for (let level = this.height - 1; level >= 0; level--) {
      while (x.next[level]) x = x.next[level]!;
    }
    return x;
  }

  /**
   * Inserts or replaces `key`'s entry. Returns the height of the node, and whether it was new.
   * The caller owns nothing afterwards: key and value are kept as given.
   */
  insert(key: Uint8Array, seq: number, kind: Kind, value: Uint8Array): { height: number; created: boolean } {
    const hashKey = binaryString(key);
    const found = this.byKey.get(hashKey);
    if (found) {
      // Replace in place: the newer version shadows the older one completely.
      this.bytes += value.length - found.value.length;
      this.tombstones += (kind === KIND_PUT ? 0 : 1) - (found.kind === KIND_PUT ? 0 : 1);
      found.seq = seq;
      found.kind = kind;
      found.value = value;
      return { height: found.next.length, created: false };
    }
    // A new node: find where it goes on every level, pick its height; levels above the current height start from the head.
    const prev = this.prev;
    this.findGreaterOrEqual(hashKey, prev);
    const height = this.randomHeight();
    if (height > this.height) {
      for (let i = this.height; i < height; i++) prev[i] = this.head;
      this.height = height;
    }
    const node: Node = { key, s: hashKey, seq, kind, value, next: new Array<Node | null>(height) };
    // Splice it in on each of its levels.
    for (let i = 0; i < height; i++) {
      node.next[i] = prev[i]!.next[i]!;
      prev[i]!.next[i] = node;
    }
    this.byKey.set(hashKey, node);
    this.count++;
    this.keyBytes += key.length;
    this.bytes += key.length + value.length + TRAILER;
    if (kind !== KIND_PUT) this.tombstones++;
    return { height, created: true };
  }

  /** The entry for `key` (a value or a tombstone), or undefined if the memtable has none. */
  get(key: Uint8Array): Entry | undefined {
    return this.byKey.get(binaryString(key));
  }

  /**
   * Entries in key order from the first key >= `from` (or > it when `exclusive`); in
   * reverse from the last key <= `from` (< when exclusive). Without `from`, from the end.
   */
  *entries(reverse = false, from?: Uint8Array, exclusive = false): Generator<Entry> {
    if (!reverse) {
      const f = from ? binaryString(from) : '';
      let n = from ? this.findGreaterOrEqual(f) : this.head.next[0]!;
      if (n && from && exclusive && n.s === f) n = n.next[0]!;
      for (; n; n = n.next[0]!) yield n;
      return;
    }
    // Reverse: no back links, so each step searches for the node before (as LevelDB does).
    let n: Node = this.findLast();
    if (from) {
      const f = binaryString(from);
      const at = this.findGreaterOrEqual(f);
      n = at && at.s === f && !exclusive ? at : this.findLessThan(f);
    }
    while (n !== this.head) {
      yield n;
      n = this.findLessThan(n.s);
    }
  }

  /** Keys on each level, bottom level first, at most `max` per level (for inspect()). */
  levels(max: number): { key: Uint8Array; seq: number; kind: Kind; value: Uint8Array; height: number }[][] {
    const out: { key: Uint8Array; seq: number; kind: Kind; value: Uint8Array; height: number }[][] = [];
    for (let level = 0; level < this.height; level++) {
      const row: { key: Uint8Array; seq: number; kind: Kind; value: Uint8Array; height: number }[] = [];
      for (let n = this.head.next[level]!; n && row.length < max; n = n.next[level]!) {
        row.push({ key: n.key, seq: n.seq, kind: n.kind, value: n.value, height: n.next.length });
      }
      out.push(row);
    }
    return out;
  }

  /** An estimate of the memory the memtable holds: entries, node overhead, and the hash (a slot and a key string per node). */
  memory(): number {
    return this.bytes + this.count * (64 + 48) + this.keyBytes;
  }
}
