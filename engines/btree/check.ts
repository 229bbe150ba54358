/**
 * check.ts: the invariant checker, run by the tests after random operations.
 *
 * It walks the whole tree (reading pages without touching the cache) and reports every
 * broken invariant as a sentence:
 *   - keys strictly increase within each page and across pages (left to right);
 *   - every leaf is at depth `height`;
 *   - every page is at most pageSize bytes, and every non-root page at least minFill bytes
 *     (a quarter full); a branch has as many keys as children, at least two, keys[0] empty;
 *   - separators bound their subtrees: child i holds only keys in [keys[i], keys[i+1]);
 *   - every page id below pageCount is exactly one of: a meta page, a tree page, an overflow
 *     page of a live value, a page of the committed freelist chain, free, or pending (no page
 *     both free and in use, no page lost);
 *   - the key count and page-kind counters match what the walk found.
 *
 * checkFile() adds what a cleanly closed file must also be (see shutdown.ts): exactly
 * `pageCount` pages, both meta pages valid with zero unused bytes (page 0's shutdown flag
 * 'C' or 'D'), every free page a page
 * with a valid checksum. Together with the walk, every byte of the file is then covered by a
 * checksum or a must-be-zero rule, so no single flipped bit goes unnoticed.
 */
import { compareBytes, display } from '../bytes.js';
import { KVError } from '../errors.js';
import { META_SIZE, STATE_OFFSET, checkPage, decodeMeta } from './format.js';
import { decodeState } from './shutdown.js';
import { nodeSize } from './node.js';
import type { Pager } from './pager.js';
import { overflowPages } from './chains.js';
import type { TreeState } from './tree.js';

/** What a page id is, as the checker found it. */
export type PageRole = 'meta' | 'branch' | 'leaf' | 'overflow' | 'freelist' | 'free' | 'pending';

/** The checker's findings. */
export interface CheckReport {
  ok: boolean;
  problems: string[];
  keys: number;
  height: number;
  leafPages: number;
  branchPages: number;
  overflowPages: number;
  roles: PageRole[];
}

/** Checks every invariant of the tree held by `pager` and `state`. */
export function checkTree(pager: Pager, state: TreeState): CheckReport {
  const problems: string[] = [];
  const roles: (PageRole | undefined)[] = new Array(pager.pageCount);
  const P = pager.pageSize;
  const g = pager.g;
  const say = (s: string): void => {
    if (problems.length < 50) problems.push(s);
  };
  // Every id gets exactly one role.
  const mark = (id: number, role: PageRole): void => {
    if (!(id >= 0 && id < pager.pageCount))
      return say(`page ${id} (${role}) is outside the ${pager.pageCount} allocated pages`);
    const had = roles[id];
    if (had) return say(`page ${id} is both ${had} and ${role}`);
    roles[id] = role;
  };
  mark(0, 'meta');
  mark(1, 'meta');
  const lists = pager.freelist.lists();
  for (const id of lists.free) mark(id, 'free');
  for (const id of lists.pending) mark(id, 'pending');
  for (const id of pager.freelistChain) mark(id, 'freelist');

  let keys = 0;
  let leaves = 0;
  let branches = 0;
  let overflows = 0;
  let last: Uint8Array | undefined;
  // Depth-first, left to right, with the key range each subtree must keep to.
  const walk = (id: number, depth: number, lo: Uint8Array | undefined, hi: Uint8Array | undefined): void => {
    let node;
    try {
      node = pager.peek(id);
    } catch (e) {
      return say(`page ${id} cannot be read: ${(e as Error).message}`);
    }
    mark(id, node.leaf ? 'leaf' : 'branch');
    const size = nodeSize(node);
    const isRoot = id === state.root;
    if (size > P) say(`page ${id} holds ${size} bytes, more than a page (${P})`);
    if (!isRoot && size < g.minFill) say(`page ${id} holds ${size} bytes, under the minimum fill ${g.minFill}`);
    const inRange = (k: Uint8Array): boolean => (!lo || compareBytes(k, lo) >= 0) && (!hi || compareBytes(k, hi) < 0);
    if (node.leaf) {
      leaves++;
      if (depth !== state.height) say(`leaf ${id} is at depth ${depth}, not the height ${state.height}`);
      if (!isRoot && node.keys.length === 0) say(`leaf ${id} is empty but not the root`);
      if (node.values.length !== node.keys.length)
        say(`leaf ${id} has ${node.keys.length} keys but ${node.values.length} values`);
      for (let i = 0; i < node.keys.length; i++) {
        const k = node.keys[i]!;
        if (!inRange(k)) say(`leaf ${id}: key ${display(k)} is outside the range its parents give it`);
        if (last && compareBytes(last, k) >= 0) say(`leaf ${id}: key ${display(k)} does not follow ${display(last)}`);
        last = k;
        keys++;
        const v = node.values[i]!;
        if (!('bytes' in v)) {
          try {
            for (const o of overflowPages(pager, v.overflow, v.length, pager.raw())) {
              mark(o, 'overflow');
              overflows++;
            }
          } catch (e) {
            say(`leaf ${id}: the overflow chain of ${display(k)} is broken: ${(e as Error).message}`);
          }
        }
      }
      return;
    }
    branches++;
    const n = node.children.length;
    if (node.keys.length !== n) return say(`branch ${id} has ${node.keys.length} keys but ${n} children`);
    if (n < 2) say(`branch ${id} has ${n} child${n === 1 ? '' : 'ren'}; a branch needs two`);
    if (n > 0 && node.keys[0]!.length !== 0) say(`branch ${id}: its first key is not empty`);
    for (let i = 1; i < n; i++) {
      const k = node.keys[i]!;
      if (!inRange(k)) say(`branch ${id}: separator ${display(k)} is outside the range its parents give it`);
      if (i > 1 && compareBytes(node.keys[i - 1]!, k) >= 0)
        say(`branch ${id}: separator ${display(k)} is out of order`);
    }
    for (let i = 0; i < n; i++)
      walk(node.children[i]!, depth + 1, i === 0 ? lo : node.keys[i], i + 1 < n ? node.keys[i + 1] : hi);
  };
  walk(state.root, 1, undefined, undefined);

  // No page lost: every id has a role.
  let lost = 0;
  for (let id = 0; id < pager.pageCount; id++) {
    if (!roles[id]) {
      if (lost < 10) say(`page ${id} is lost: neither in the tree nor free`);
      lost++;
    }
  }
  if (lost > 10) say(`${lost} pages are lost in all`);
  if (keys !== state.keyCount) say(`the tree holds ${keys} keys but the count says ${state.keyCount}`);
  const c = pager.counts;
  if (c.leafPages !== leaves || c.branchPages !== branches || c.overflowPages !== overflows) {
    say(
      `page counters (leaf ${c.leafPages}, branch ${c.branchPages}, overflow ${c.overflowPages}) differ from the walk (${leaves}, ${branches}, ${overflows})`,
    );
  }
  return {
    ok: problems.length === 0,
    problems,
    keys,
    height: state.height,
    leafPages: leaves,
    branchPages: branches,
    overflowPages: overflows,
    roles: roles.map((r) => r ?? 'free'),
  };
}

/**
 * The clean-close invariants of the file beyond the tree, as sentences: the file size is
 * pageCount pages; each meta page decodes and its bytes after META_SIZE are zero; every page
 * `roles` (from checkTree) calls free passes its checksum, type and id check. Call it on a
 * store with no uncommitted changes (a closed store, just reopened).
 */
export function checkFile(pager: Pager, roles: readonly PageRole[]): string[] {
  const problems: string[] = [];
  const P = pager.pageSize;
  const raw = pager.raw();
  const say = (e: unknown): void => {
    if (problems.length < 50) problems.push(e instanceof KVError ? e.message : String(e));
  };
  const size = raw.size();
  if (size !== pager.pageCount * P) say(`the file holds ${size} bytes, not ${pager.pageCount} pages of ${P}`);
  for (const slot of [0, 1]) {
    const bytes = raw.read(slot * P, P);
    try {
      decodeMeta(bytes.subarray(0, META_SIZE), slot, slot * P, pager.path);
    } catch (e) {
      say(e);
    }
    const from = slot === 0 ? STATE_OFFSET + 1 : META_SIZE;
    const stray = bytes.subarray(from).findIndex((b) => b !== 0);
    if (stray >= 0) say(`meta page ${slot}: unused byte ${from + stray} is not zero`);
  }
  try {
    decodeState(raw.read(STATE_OFFSET, 1)[0], pager.path);
  } catch (e) {
    say(e);
  }
  for (let id = 0; id < roles.length; id++) {
    if (roles[id] !== 'free') continue;
    try {
      checkPage(raw.read(id * P, P), id, P, pager.path);
    } catch (e) {
      say(`free page ${id} fails its check (${(e as Error).message})`);
    }
  }
  return problems;
}
