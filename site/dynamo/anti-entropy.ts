/**
 * anti-entropy.ts: one anti-entropy exchange between two replicas, step by step, as in
 * Dynamo (section 4.7): each replica builds a Merkle tree (merkle.ts) of the keys both are
 * home replicas for; they compare roots, then only the children of hashes that differ, down
 * to the leaves; for every key in a differing leaf, the newer copy goes to the side that has
 * an older one or none. Replicas that missed a write and are never read catch up this way,
 * where read repair alone would leave them behind.
 *
 * The cluster (cluster.ts) supplies its nodes through AntiEntropyOps, so this file holds the
 * algorithm and the pictures of it, and no node state of its own. No DOM.
 */
import type { Contact, Focus, Versioned } from './cluster.js';
import { LEAVES, buildTree, compareTrees, type Comparison, type Entry, type MerkleTree } from './merkle.js';

/** Two nodes' hash trees as far as anti-entropy has compared them at this step. */
export interface MerklePicture {
  a: string;
  b: string;
  /** Per level (root first): each node's hashes. */
  levels: { a: string[]; b: string[] }[];
  /** Per level: the indices compared so far (empty for levels not reached yet). */
  compared: number[][];
  /** Per level: the compared indices whose hashes differ. */
  differing: number[][];
  /** Per leaf: the keys in it on either node. */
  leafKeys: string[][];
}

/** What the exchange needs from the cluster. */
export interface AntiEntropyOps {
  /** The shared keys as `node` holds them. */
  entries(node: string): Entry[];
  read(node: string, key: string): Versioned | undefined;
  store(node: string, key: string, v: Versioned): void;
  focus(key: string, contacts: Contact[]): Focus;
  /** Records one step with the trees as compared so far. */
  step(caption: string, merkle: MerklePicture, focus?: Focus): void;
}

/** The trees of `a` and `b` with the comparison shown down to level `upTo`. */
function picture(a: string, b: string, x: MerkleTree, y: MerkleTree, c: Comparison, upTo: number): MerklePicture {
  return {
    a,
    b,
    levels: x.levels.map((l, i) => ({ a: [...l], b: [...y.levels[i]!] })),
    compared: c.compared.map((l, i) => (i <= upTo ? [...l] : [])),
    differing: c.differing.map((l, i) => (i <= upTo ? [...l] : [])),
    leafKeys: x.leaves.map((l, i) => [...new Set([...l, ...y.leaves[i]!].map((e) => e.key))].sort()),
  };
}

/** Runs the exchange between nodes `a` and `b` (both up); returns how many copies were sent. */
export function runAntiEntropy(a: string, b: string, ops: AntiEntropyOps): number {
  const trees = (): [MerkleTree, MerkleTree] => [buildTree(ops.entries(a)), buildTree(ops.entries(b))];
  const [ta, tb] = trees();
  const cmp = compareTrees(ta, tb);
  const depth = ta.levels.length;
  // Step 1: the roots. Equal roots: the shared keys agree, and nothing more is sent.
  const equal = cmp.leaves.length === 0;
  ops.step(
    `anti-entropy ${a} ↔ ${b}: each hashes the keys both are home replicas for into a tree of ${LEAVES} leaves by ring position; roots ${ta.levels[0]![0]} and ${tb.levels[0]![0]} ${equal ? 'are equal: nothing to exchange' : 'differ'}`,
    picture(a, b, ta, tb, cmp, 0),
  );
  if (equal) return 0;
  // Step 2: one level at a time, only the children of hashes that differ are compared.
  for (let level = 1; level < depth; level++) {
    const c = cmp.compared[level]!;
    const d = cmp.differing[level]!;
    const name = level === depth - 1 ? 'leaves' : `level ${level}`;
    ops.step(
      `${name}: ${c.length} hash${c.length === 1 ? '' : 'es'} compared (the children of those that differ), ${d.length} differ${d.length === 1 ? 's' : ''}`,
      picture(a, b, ta, tb, cmp, level),
    );
  }
  // Step 3: in each differing leaf, the newer copy of each key goes to the side that lacks it.
  let sent = 0;
  for (const leaf of cmp.leaves) {
    const keys = [...new Set([...ta.leaves[leaf]!, ...tb.leaves[leaf]!].map((e) => e.key))].sort();
    for (const key of keys) {
      const va = ops.read(a, key);
      const vb = ops.read(b, key);
      if (va && vb && va.ts === vb.ts) continue;
      const [from, to, v] = !vb || (va && va.ts > vb.ts) ? [a, b, va!] : [b, a, vb];
      const had = ops.read(to, key);
      ops.store(to, key, v);
      sent++;
      ops.step(
        `repair: ${from} sends ${key}=${v.value} (t=${v.ts}) to ${to}, which had ${had ? `t=${had.ts}` : 'no copy'}`,
        picture(a, b, ta, tb, cmp, depth - 1),
        ops.focus(key, [
          { node: from, role: 'handoff', value: v.value, ts: v.ts },
          { node: to, role: 'repair', value: v.value, ts: v.ts, now: true },
        ]),
      );
    }
  }
  // Step 4: the trees rebuilt from what each node holds now; their roots agree.
  const [na, nb] = trees();
  const after = compareTrees(na, nb);
  ops.step(
    `after repair: roots ${na.levels[0]![0]} and ${nb.levels[0]![0]} ${after.leaves.length === 0 ? 'are equal' : 'still differ'}; ${cmp.leaves.length} of ${LEAVES} leaves ${cmp.leaves.length === 1 ? 'was' : 'were'} exchanged, ${sent} cop${sent === 1 ? 'y' : 'ies'} sent`,
    picture(a, b, na, nb, after, 0),
  );
  return sent;
}
