/**
 * chains.ts: the page chains beside the tree: a big value's overflow pages, and the
 * committed free list's pages. Each page of a chain is read through the pager (checked:
 * checksum, type, id) and a chain that loops, ends early or says more than it holds is
 * KV_CORRUPT naming the file and offset, never a hang.
 */
import type { FileHandle } from '../storage/fs.js';
import { corrupt } from '../errors.js';
import { PAGE_FREELIST, PAGE_OVERFLOW, decodeFreelist, decodeOverflow, encodeOverflow } from './format.js';
import type { Pager } from './pager.js';

/** Reads a whole overflow chain of `length` bytes starting at `first`. */
export function readOverflow(pager: Pager, first: number, length: number, handle?: FileHandle): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  let id = first;
  // Walk the chain; a loop or a wrong length is corruption, never a hang.
  while (o < length) {
    if (id === 0)
      throw corrupt(
        pager.path,
        first * pager.pageSize,
        `overflow chain from page ${first} ends after ${o} of ${length} bytes`,
      );
    const { bytes, header } = pager.readPage(id, PAGE_OVERFLOW, handle ?? pager.file);
    const data = decodeOverflow(bytes, header, pager.pageSize, pager.path);
    if (o + data.length > length)
      throw corrupt(
        pager.path,
        id * pager.pageSize,
        `overflow chain from page ${first} holds more than ${length} bytes`,
      );
    out.set(data, o);
    o += data.length;
    if (data.length === 0) throw corrupt(pager.path, id * pager.pageSize, `overflow page ${id} is empty`);
    id = header.next;
  }
  return out;
}

/** The page ids of an overflow chain (reads each page's header). */
export function overflowPages(pager: Pager, first: number, length: number, handle?: FileHandle): number[] {
  const ids: number[] = [];
  let left = length;
  let id = first;
  while (left > 0) {
    if (id === 0 || ids.length > pager.pageCount)
      throw corrupt(pager.path, first * pager.pageSize, `overflow chain from page ${first} is broken`);
    const { header } = pager.readPage(id, PAGE_OVERFLOW, handle ?? pager.file);
    ids.push(id);
    left -= header.count;
    if (header.count === 0) throw corrupt(pager.path, id * pager.pageSize, `overflow page ${id} is empty`);
    id = header.next;
  }
  return ids;
}

/** The ids listed by a committed freelist chain, and the chain's own pages. */
export function readFreelist(pager: Pager, first: number, pages: number): { ids: number[]; chain: number[] } {
  const ids: number[] = [];
  const chain: number[] = [];
  for (let id = first; id !== 0;) {
    if (chain.length >= pages)
      throw corrupt(
        pager.path,
        id * pager.pageSize,
        `freelist chain is longer than the ${pages} pages the meta page says`,
      );
    const { bytes, header } = pager.readPage(id, PAGE_FREELIST);
    chain.push(id);
    ids.push(...decodeFreelist(bytes, header, pager.pageSize, pager.pageCount, pager.path));
    id = header.next;
  }
  return { ids, chain };
}

/** Writes a value to a new overflow chain and returns its first page id. */
export function writeOverflow(pager: Pager, value: Uint8Array): number {
  const per = pager.g.overflowBytes;
  const n = Math.ceil(value.length / per);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(pager.alloc('overflow'));
  // Overflow pages are fresh and never change, so they go straight to the file.
  for (let i = 0; i < n; i++) {
    const data = value.subarray(i * per, Math.min(value.length, (i + 1) * per));
    pager.writeRaw(ids[i]!, encodeOverflow(data, ids[i]!, ids[i + 1] ?? 0, pager.pageSize), 'overflow', 'overflow');
  }
  return ids[0]!;
}

/** Frees every page of an overflow chain. */
export function freeOverflow(pager: Pager, first: number, length: number): void {
  for (const id of overflowPages(pager, first, length)) pager.free(id, 'overflow');
}
