/**
 * commit.ts: making the current tree durable, LMDB/bbolt style.
 *
 * The two meta pages take turns: txid t is written to page t % 2, so the other one always
 * holds the previous commit. A commit:
 *   1. writes every dirty page (all of them fresh ids: copy-on-write never touches a page the
 *      last commit uses);
 *   2. frees the old freelist chain (pending), then writes the free list, reusable plus
 *      pending ids, to newly allocated freelist pages, and a placeholder to every page taken
 *      from the end of the file and freed before anything was written to it (so every page
 *      below the page count holds a valid page: see shutdown.ts);
 *   3. fsyncs the file: every page the new meta will point to is durable;
 *   4. writes the meta page (txid, root, freelist, page count, checksum) and fsyncs again.
 * The commit point is the meta write in step 4. A crash before it leaves the old meta the
 * newest valid one, and its pages were not touched; a torn meta fails its checksum and open
 * uses the other. Only after step 4 do pending pages become reusable (pages the previous
 * commit used may now be overwritten) and fresh pages count as committed.
 */
import type { TraceListener } from '../registry-types.js';
import { META_SIZE, encodeFreelist, encodeMeta, type Meta } from './format.js';
import type { CommitReason } from './events.js';
import type { Pager } from './pager.js';
import type { TreeState } from './tree.js';

/** True when the tree changed since the last commit. */
export function hasChanges(pager: Pager): boolean {
  return pager.fresh.size > 0 || pager.freelist.pendingCount > 0;
}

/** Commits the tree as transaction durable.txid + 1; returns the new meta. */
export function commit(
  pager: Pager,
  state: TreeState,
  durable: Meta,
  reason: CommitReason,
  trace: TraceListener | undefined,
): Meta {
  const txid = durable.txid + 1;
  const slot = txid % 2;
  const P = pager.pageSize;
  // Step 1: every dirty page to its (fresh) place.
  const written = pager.writeDirty('commit');
  trace?.({ type: 'btree.commit', step: 'pages', reason, txid, root: state.root, pages: written, slot });
  // Step 2: the free list. The old chain is part of the last commit, so it is pending.
  for (const id of pager.freelistChain) pager.free(id, 'freelist');
  const per = pager.g.idsPerFreelistPage;
  const need = Math.ceil(pager.freelist.all().length / per);
  const chain: number[] = [];
  for (let i = 0; i < need; i++) chain.push(pager.alloc('freelist'));
  // Taking chain pages only shortened the list, so `need` pages hold it (the last may be empty).
  const ids = pager.freelist.all();
  for (let i = 0; i < chain.length; i++) {
    const id = chain[i]!;
    pager.writeRaw(
      id,
      encodeFreelist(ids.slice(i * per, (i + 1) * per), id, chain[i + 1] ?? 0, P),
      'freelist',
      'commit',
    );
  }
  const placeholders = pager.writePlaceholders();
  trace?.({
    type: 'btree.commit',
    step: 'freelist',
    reason,
    txid,
    root: state.root,
    pages: chain.length + placeholders,
    slot,
  });
  // Step 3: the pages are durable before any meta page points at them.
  pager.file.sync();
  trace?.({
    type: 'btree.commit',
    step: 'sync',
    reason,
    txid,
    root: state.root,
    pages: written + chain.length + placeholders,
    slot,
  });
  // Step 4: the commit point.
  const meta: Meta = {
    pageSize: P,
    txid,
    root: state.root,
    height: state.height,
    freelist: chain[0] ?? 0,
    freelistPages: chain.length,
    pageCount: pager.pageCount,
    ...pager.counts,
    keyCount: state.keyCount,
    liveBytes: state.liveBytes,
  };
  pager.beforeWrite();
  // Only the checksummed fields: page 0's shutdown flag follows them (shutdown.ts).
  pager.file.write(slot * P, encodeMeta(meta).subarray(0, META_SIZE));
  pager.file.sync();
  pager.unsynced = false;
  trace?.({ type: 'btree.commit', step: 'meta', reason, txid, root: state.root, pages: 1, slot });
  // Durable: what this commit freed may be reused, and its pages are now committed.
  const released = pager.freelist.commitDurable();
  pager.fresh.clear();
  pager.unwritten.clear();
  pager.freelistChain = chain;
  if (released > 0) trace?.({ type: 'btree.freelist', released, free: pager.freelist.freeCount });
  trace?.({
    type: 'btree.commit',
    step: 'done',
    reason,
    txid,
    root: state.root,
    pages: written + chain.length + placeholders + 1,
    slot,
  });
  return meta;
}
