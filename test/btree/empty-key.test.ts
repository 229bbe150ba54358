/**
 * empty-key.test.ts: the empty user key in a B+tree whose branch pages use an empty key as
 * entry 0's "minus infinity". The two never meet: entry 0 is never compared, every other
 * separator is non-empty, so the empty user key always lives at the start of the leftmost
 * leaf (FORMAT.md, "Entry 0's empty key is minus infinity"). These tests read the committed
 * pages straight from btree.db, independently of the engine's own cache, through thousands
 * of splits, merges, borrows and root changes at 512-byte pages.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, utf8, KVError } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';
import { readWhole } from '../../engines/storage/fs.js';
import { newestMeta, readMetaSlots } from '../../engines/btree/meta.js';
import { DATA_FILE, checkPage, decodeTreePage, encodeTreePage, type TreePage } from '../../engines/btree/format.js';
import { Model, pairsHex } from '../util/model.js';
import { Rng } from '../util/rng.js';

const P = 512;
const EMPTY = new Uint8Array(0);

/** What a walk of the committed tree found. */
interface Walk {
  /** Empty keys at branch entries after entry 0 (must stay 0). */
  emptySeparators: number;
  /** Where the empty user key is: leaf index in left-to-right order, and entry index. */
  emptyAt: { leaf: number; index: number }[];
  leaves: number;
  height: number;
}

/** Walks the committed tree of the closed or synced store at `/t` on `fs`, page by page from the file. */
function walkFile(fs: MemoryFileSystem): Walk {
  const path = `/t/${DATA_FILE}`;
  const bytes = readWhole(fs, path);
  const meta = newestMeta(readMetaSlots((o, n) => bytes.subarray(o, o + n), P, path))!;
  const out: Walk = { emptySeparators: 0, emptyAt: [], leaves: 0, height: meta.height };
  const visit = (id: number): void => {
    const page = bytes.subarray(id * P, (id + 1) * P);
    const node = decodeTreePage(page, checkPage(page, id, P, path), P, meta.pageCount, path);
    if (node.leaf) {
      node.keys.forEach((k, index) => k.length === 0 && out.emptyAt.push({ leaf: out.leaves, index }));
      out.leaves++;
      return;
    }
    for (let i = 1; i < node.keys.length; i++) if (node.keys[i]!.length === 0) out.emptySeparators++;
    for (const c of node.children) visit(c);
  };
  visit(meta.root);
  return out;
}

describe("btree: the empty user key beside the branch pages' empty entry 0", () => {
  it('lives at the start of the leftmost leaf through splits, merges, borrows and root changes', () => {
    const fs = new MemoryFileSystem();
    const events: TraceEvent[] = [];
    let db = new BtreeStore({
      dir: '/t',
      fs,
      pageSize: P,
      cachePages: 8,
      dirtyPageBudget: 6,
      trace: (e) => events.push(e),
    });
    const model = new Model();
    const rng = new Rng(1818);
    const keys = [
      EMPTY,
      new Uint8Array([0]),
      new Uint8Array([0, 0]),
      ...Array.from({ length: 800 }, (_, i) => utf8(`k${String(i).padStart(4, '0')}`)),
    ];
    let checks = 0;
    for (let i = 0; i < 5000; i++) {
      // The empty key is written far more often than any other, so it moves with every change.
      const k = rng.chance(0.1) ? EMPTY : keys[rng.int(keys.length)]!;
      if (rng.chance(0.62)) {
        const v = rng.bytes(rng.chance(0.03) ? 600 : rng.int(60));
        db.put(k, v);
        model.put(k, v);
      } else {
        db.delete(k);
        model.delete(k);
      }
      if (i % 250 === 249) {
        db.sync();
        const w = walkFile(fs);
        expect(w.emptySeparators, `op ${i}`).toBe(0);
        expect(w.emptyAt, `op ${i}`).toEqual(model.get(EMPTY) ? [{ leaf: 0, index: 0 }] : []);
        expect(db.check().problems, `op ${i}`).toEqual([]);
        expect(db.get(EMPTY), `op ${i}`).toEqual(model.get(EMPTY));
        checks++;
      }
      if (i % 1500 === 1499) {
        db.close();
        db = new BtreeStore({
          dir: '/t',
          fs,
          pageSize: P,
          cachePages: 8,
          dirtyPageBudget: 6,
          trace: (e) => events.push(e),
        });
      }
    }
    expect(checks).toBe(20);
    expect(pairsHex(db.scan())).toEqual(pairsHex(model.scan()));
    // The tree really changed shape in every way while the empty key was in it.
    for (const type of ['btree.split', 'btree.merge', 'btree.borrow'])
      expect(
        events.some((e) => e.type === type),
        type,
      ).toBe(true);
    expect(events.some((e) => e.type === 'btree.root' && e.reason === 'split')).toBe(true);
    db.close();
    expect(walkFile(fs).height).toBeGreaterThanOrEqual(3);
  });

  it('stays first when a root split, and when every other key is deleted the tree shrinks back to one leaf holding it', () => {
    const fs = new MemoryFileSystem();
    const events: TraceEvent[] = [];
    const db = new BtreeStore({ dir: '/t', fs, pageSize: P, cachePages: 8, trace: (e) => events.push(e) });
    db.put('', 'minus infinity is not a key; this is');
    // Ascending inserts after it: every split is at the right edge, the empty key never moves.
    for (let i = 0; i < 2000; i++) db.put(`k${String(i).padStart(5, '0')}`, 'v'.repeat(12));
    db.sync();
    let w = walkFile(fs);
    expect(w.height).toBeGreaterThanOrEqual(3);
    expect(w.emptyAt).toEqual([{ leaf: 0, index: 0 }]);
    expect(w.emptySeparators).toBe(0);
    for (let i = 1999; i >= 0; i--) db.delete(`k${String(i).padStart(5, '0')}`);
    expect(events.some((e) => e.type === 'btree.root' && e.reason === 'collapse')).toBe(true);
    db.close();
    w = walkFile(fs);
    expect({ height: w.height, leaves: w.leaves, emptyAt: w.emptyAt }).toEqual({
      height: 1,
      leaves: 1,
      emptyAt: [{ leaf: 0, index: 0 }],
    });
    const again = new BtreeStore({ dir: '/t', fs });
    expect(new TextDecoder().decode(again.get(''))).toBe('minus infinity is not a key; this is');
    expect([...again.scan({ lte: '' })].length).toBe(1);
    again.close();
  });

  it('decodes a leaf whose first key is empty, and still refuses a branch whose separator after entry 0 is empty', () => {
    const file = '/t/btree.db';
    const leaf: TreePage = {
      leaf: true,
      keys: [EMPTY, utf8('a')],
      values: [{ bytes: utf8('e') }, { bytes: utf8('1') }],
      children: [],
    };
    const lp = encodeTreePage(leaf, 3, P);
    expect(decodeTreePage(lp, checkPage(lp, 3, P, file), P, 10, file)).toEqual(leaf);
    // An empty key after a non-empty one is out of order: only entry 0 can be empty.
    const bad: TreePage = {
      leaf: true,
      keys: [utf8('a'), EMPTY],
      values: [{ bytes: utf8('1') }, { bytes: utf8('e') }],
      children: [],
    };
    const bp = encodeTreePage(bad, 3, P);
    expect(() => decodeTreePage(bp, checkPage(bp, 3, P, file), P, 10, file)).toThrow(/out of key order/);
    // A branch: entry 0's key must be empty, every later one must not be.
    const branch: TreePage = { leaf: false, keys: [EMPTY, EMPTY, utf8('m')], values: [], children: [4, 5, 6] };
    const br = encodeTreePage(branch, 7, P);
    let err: unknown;
    try {
      decodeTreePage(br, checkPage(br, 7, P, file), P, 10, file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KVError);
    expect((err as KVError).code).toBe('KV_CORRUPT');
    expect((err as KVError).message).toMatch(/entry 1 has an empty separator key/);
  });
});
