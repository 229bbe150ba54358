/**
 * tree.ts: get, put and delete on the B+tree of pages.
 *
 * A write walks down from the root making each page on the path writable (copy-on-write:
 * pager.writable), changes the leaf, then walks back up fixing sizes (fixUp):
 *   - a page over pageSize splits in two and its parent gains an entry (split.ts);
 *   - a non-root page under minFill merges with or borrows from a sibling, and its parent
 *     loses or changes an entry (rebalance.ts);
 *   - a root that overflows gets a new root above it (the tree grows a level); a branch root
 *     left with one child is replaced by that child (the tree shrinks a level).
 * The walk stops at the first page whose size needs no fix: pages above it only had a child
 * id replaced, which does not change their size.
 *
 * Invariants after each operation (check.ts verifies them): keys sorted within and across
 * pages; every leaf at depth `height`; every non-root page within [minFill, pageSize] bytes;
 * separators bound their subtrees; every page id is in the tree, free, or a meta/freelist page.
 */
import type { TraceListener } from '../registry-types.js';
import { isInline, type Geometry, type LeafValue } from './format.js';
import { childIndex, leafSearch, nodeSize, type Node } from './node.js';
import type { Pager } from './pager.js';
import { splitNode, traceSplit } from './split.js';
import { childFor, findKey, isView, viewValue, type CachedPage } from './page-search.js';
import { rebalance } from './rebalance.js';
import { freeOverflow, readOverflow, writeOverflow } from './chains.js';

/** The tree's root and running totals (what a commit writes into the meta page). */
export interface TreeState {
  root: number;
  height: number;
  keyCount: number;
  liveBytes: number;
}

/** One step of a path from the root: a branch and the child index taken. */
interface Step {
  node: Node;
  index: number;
}

/** The B+tree operations. */
export class Tree {
  constructor(
    readonly pager: Pager,
    readonly g: Geometry,
    readonly state: TreeState,
    private readonly trace: TraceListener | undefined,
  ) {}

  /** The value of `key`, or undefined: a search in place on the cached pages, nothing decoded. */
  get(key: Uint8Array): Uint8Array | undefined {
    const page = this.leafEntry(key);
    const i = findKey(page, key);
    if (i < 0) return undefined;
    return isView(page) ? viewValue(page, i, this.readOverflow) : this.valueOf(page.values[i]!);
  }

  /** The cached leaf that would hold `key`, as cached (read-only descent, nothing decoded). */
  private leafEntry(key: Uint8Array): CachedPage {
    const pager = this.pager;
    let page = pager.entry(this.state.root);
    while (!page.leaf) page = pager.entry(childFor(page, key));
    return page;
  }

  /** Reads an overflow chain (bound, for viewValue). */
  private readonly readOverflow = (first: number, length: number): Uint8Array =>
    readOverflow(this.pager, first, length);

  /** The bytes of a leaf value (a copy: callers may keep or change it). */
  valueOf(v: LeafValue): Uint8Array {
    return 'bytes' in v ? v.bytes.slice() : readOverflow(this.pager, v.overflow, v.length);
  }

  /** Sets `key` to `value`. */
  put(key: Uint8Array, value: Uint8Array): void {
    // A big value goes to its own overflow pages first; the leaf keeps a reference.
    const stored: LeafValue = isInline(this.g, key.length, value.length)
      ? { bytes: value.slice() }
      : { overflow: writeOverflow(this.pager, value), length: value.length };
    const { path, leaf } = this.descendForWrite(key);
    const { index, found } = leafSearch(leaf, key);
    if (found) {
      this.dropValue(leaf.values[index]!);
      this.state.liveBytes += value.length - this.lengthOf(leaf.values[index]!);
      leaf.values[index] = stored;
    } else {
      leaf.keys.splice(index, 0, key.slice());
      leaf.values.splice(index, 0, stored);
      this.state.keyCount++;
      this.state.liveBytes += key.length + value.length;
    }
    this.pager.touch(leaf);
    this.fixUp(path, leaf, !found && index === leaf.keys.length - 1);
  }

  /** Removes `key`; returns false (and changes nothing) if it was absent. */
  delete(key: Uint8Array): boolean {
    // Look first, so deleting a missing key copies no pages.
    if (findKey(this.leafEntry(key), key) < 0) return false;
    const { path, leaf } = this.descendForWrite(key);
    const { index } = leafSearch(leaf, key);
    const old = leaf.values[index]!;
    this.dropValue(old);
    this.state.keyCount--;
    this.state.liveBytes -= key.length + this.lengthOf(old);
    leaf.keys.splice(index, 1);
    leaf.values.splice(index, 1);
    this.pager.touch(leaf);
    this.fixUp(path, leaf);
    return true;
  }

  /** The length of a stored value. */
  private lengthOf(v: LeafValue): number {
    return 'bytes' in v ? v.bytes.length : v.length;
  }

  /** Frees the overflow pages of a value being replaced or deleted. */
  private dropValue(v: LeafValue): void {
    if (!('bytes' in v)) freeOverflow(this.pager, v.overflow, v.length);
  }

  /** Walks to the leaf for `key`, making every page on the way writable (copy-on-write). */
  private descendForWrite(key: Uint8Array): { path: Step[]; leaf: Node } {
    const path: Step[] = [];
    let node = this.pager.writable(this.pager.get(this.state.root));
    this.state.root = node.id;
    while (!node.leaf) {
      const i = childIndex(node, key);
      const child = this.pager.writable(this.pager.get(node.children[i]!));
      if (child.id !== node.children[i]) {
        // The child was copied: the parent must point at the copy.
        node.children[i] = child.id;
        this.pager.touch(node);
      }
      path.push({ node, index: i });
      node = child;
    }
    return { path, leaf: node };
  }

  /**
   * Walks back up from a changed page, splitting, merging and borrowing as sizes require.
   * `append`: the change added an entry at the end of `node` (a split then leaves it full).
   */
  private fixUp(path: Step[], node: Node, append = false): void {
    const P = this.g.pageSize;
    for (;;) {
      const size = nodeSize(node);
      const step = path.pop();
      if (!step) {
        // `node` is the root.
        if (size > P) {
          // Step: the root split; a new root above the two halves grows the tree a level.
          const { right, separator } = splitNode(this.pager, node, append);
          const root = this.pager.newNode(false);
          root.keys = [new Uint8Array(0), separator];
          root.children = [node.id, right.id];
          this.state.root = root.id;
          this.state.height++;
          traceSplit(this.trace, node, right, separator);
          this.trace?.({ type: 'btree.root', from: node.id, to: root.id, height: this.state.height, reason: 'split' });
        } else if (!node.leaf && node.children.length === 1) {
          // Step: a root with one child is replaced by the child; the tree shrinks a level.
          const child = node.children[0]!;
          this.pager.free(node.id, 'branch');
          this.state.root = child;
          this.state.height--;
          this.trace?.({ type: 'btree.root', from: node.id, to: child, height: this.state.height, reason: 'collapse' });
          node = this.pager.get(child);
          continue;
        }
        return;
      }
      const { node: parent, index } = step;
      if (size > P) {
        // Step: split, and give the parent an entry for the new right page.
        const { right, separator } = splitNode(this.pager, node, append);
        parent.keys.splice(index + 1, 0, separator);
        parent.children.splice(index + 1, 0, right.id);
        this.pager.touch(parent);
        traceSplit(this.trace, node, right, separator);
        // The parent's new entry is at its end when the split page was its last child.
        append = append && index + 1 === parent.children.length - 1;
      } else if (size < this.g.minFill) {
        // Step: underfull; merge with or borrow from a sibling, changing the parent.
        rebalance(this.pager, parent, index, node, this.trace);
        append = false;
      } else {
        // This page is fine, so every page above it is too.
        return;
      }
      node = parent;
    }
  }
}
