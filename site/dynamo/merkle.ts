/**
 * merkle.ts: the hash trees two replicas compare in anti-entropy, as Dynamo (section 4.7)
 * and Riak's active anti-entropy do. Each replica hashes the keys of a shared key range into
 * LEAVES buckets by ring position, each leaf the hash of its bucket's (key, version, value)
 * entries in key order, each parent the hash of its two children, up to one root. Two replicas
 * whose roots are equal hold the same data for the range and exchange nothing more; otherwise
 * they descend only into children whose hashes differ, and exchange the keys of the leaves
 * that differ. No DOM, no engine: entries in, trees and differences out.
 *
 * The hash is 32-bit FNV-1a, plenty to tell a few simulated keys apart; real stores use a
 * cryptographic or 64-bit hash so that unequal data practically never hashes the same.
 */

/** How many leaves each tree has (a power of two): 8, so the tree has 4 levels. */
export const LEAVES = 8;

/** One replica's copy of one key. */
export interface Entry {
  key: string;
  /** The ring position of the key (0 to 2^32 - 1); it picks the leaf. */
  position: number;
  ts: number;
  value: string;
}

/** A hash tree: levels[0] is the root level (one hash), the last level the leaves. */
export interface MerkleTree {
  levels: string[][];
  /** The entries in each leaf, in key order. */
  leaves: Entry[][];
}

/** The result of comparing two trees top-down. */
export interface Comparison {
  /** For each level, the indices whose hashes were compared (children of differing parents). */
  compared: number[][];
  /** For each level, the indices whose hashes differ. */
  differing: number[][];
  /** The leaves that differ: the only buckets whose keys are exchanged. */
  leaves: number[];
}

/** 32-bit FNV-1a of `s`, as 8 hex digits. */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The leaf a ring position falls in: the ring cut into LEAVES equal arcs. */
export function leafOf(position: number): number {
  return Math.min(LEAVES - 1, Math.floor((position / 2 ** 32) * LEAVES));
}

/** Builds the tree of `entries`. An empty leaf hashes the empty string. */
export function buildTree(entries: readonly Entry[]): MerkleTree {
  const leaves: Entry[][] = Array.from({ length: LEAVES }, () => []);
  for (const e of entries) leaves[leafOf(e.position)]!.push(e);
  for (const l of leaves) l.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Leaves first, then each level up hashes pairs of the one below, to a single root.
  const levels: string[][] = [
    leaves.map((l) => fnv1a(l.map((e) => `${e.key}\u0000${e.ts}\u0000${e.value}`).join('\u0001'))),
  ];
  while (levels[0]!.length > 1) {
    const below = levels[0]!;
    const up: string[] = [];
    for (let i = 0; i < below.length; i += 2) up.push(fnv1a(below[i]! + below[i + 1]!));
    levels.unshift(up);
  }
  return { levels, leaves };
}

/** Compares `a` and `b` from the root down, descending only where hashes differ. */
export function compareTrees(a: MerkleTree, b: MerkleTree): Comparison {
  const compared: number[][] = [];
  const differing: number[][] = [];
  let frontier = [0];
  for (let level = 0; level < a.levels.length; level++) {
    compared.push(frontier);
    const diff = frontier.filter((i) => a.levels[level]![i] !== b.levels[level]![i]);
    differing.push(diff);
    // Invariant: a node's hashes are equal iff every leaf under it is equal (up to collisions).
    frontier = diff.flatMap((i) => [2 * i, 2 * i + 1]);
  }
  return { compared, differing, leaves: differing[differing.length - 1] ?? [] };
}
