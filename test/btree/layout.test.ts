/**
 * The B+tree file's describer (layout.ts describePages) agrees with the page decoders on
 * every kind of page a store writes: both meta pages with the shutdown flag, branch, leaf,
 * overflow and freelist pages, free pages (stale, or placeholders), and pages past the page
 * count that a crash leaves. Every byte is in one span; keys, values and lengths are the
 * decoders'; checksums are the computed ones; every pointer lands on a page of the kind it
 * names; a cut or garbage file gives a malformed span, never a throw.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, utf8 } from '../../engines/index.js';
import { readWhole } from '../../engines/storage/fs.js';
import { crc32c, mask } from '../../engines/codec/crc32c.js';
import { allSpans, firstMalformed, type Group, type Span } from '../../engines/layout.js';
import { describeBtreeFile, describePages } from '../../engines/btree/layout.js';
import {
  META_SIZE,
  PAGE_META,
  checkPage,
  decodeFreelist,
  decodeMeta,
  decodeOverflow,
  decodeTreePage,
  kindOf,
  type Meta,
} from '../../engines/btree/format.js';
import { expectDamageNamed, expectTiled, valueBytes } from '../util/layout.js';

const P = 512;
const PATH = '/db/btree.db';

/** A closed store with a tree of height 2 or more, overflow values, deletes (so free pages and a freelist). */
function closedStore(): Uint8Array {
  const fs = new MemoryFileSystem();
  const db = openStore('btree', { dir: '/db', fs, pageSize: P });
  for (let i = 0; i < 120; i++)
    db.put(`key${String(i).padStart(3, '0')}`, i % 9 === 0 ? 'big '.repeat(200) : `value ${i}`);
  for (let i = 0; i < 120; i += 5) db.delete(`key${String(i).padStart(3, '0')}`);
  db.put('empty', new Uint8Array(0));
  db.close();
  return readWhole(fs, PATH);
}

/**
 * A store that crashed after a batch spilled pages past the page count, with garbage on one
 * free page (what a torn write of an unfinished transaction leaves).
 */
function crashedStore(): Uint8Array {
  const fs = new MemoryFileSystem();
  const db = openStore('btree', { dir: '/db', fs, pageSize: P, dirtyPageBudget: 2 });
  for (let i = 0; i < 60; i++) db.put(`k${i}`, `v${i}`);
  for (let i = 0; i < 60; i += 2) db.delete(`k${i}`);
  db.sync();
  // The process dies at the batch's commit fsync: its spilled pages are written, past the page count, but never committed.
  fs.injectFault({ call: 'sync', path: 'btree.db', crash: true });
  expect(() =>
    db.batch(Array.from({ length: 300 }, (_, i) => ({ type: 'put' as const, key: `new${i}`, value: 'x'.repeat(40) }))),
  ).toThrow();
  fs.powerLoss({ keepWrites: 1_000_000 });
  const bytes = readWhole(fs, PATH);
  // Scribble on the first free page, as a torn write would.
  const free = describePages(bytes).find((g) => /\[free\]/.test(g.label))!;
  bytes.fill(0xab, free.offset + 100, free.offset + 140);
  return bytes;
}

/** The spans of a group and its children by name (the first of each name). */
function byName(g: Group): Record<string, Span> {
  const out: Record<string, Span> = {};
  for (const s of allSpans([g])) out[s.name] ??= s;
  return out;
}

/** Checks every page of `bytes` against the decoders; returns the page groups by id. */
function expectAgreement(bytes: Uint8Array, meta: Meta): Group[] {
  const groups = describePages(bytes);
  expectTiled(groups, bytes.length, 'btree.db');
  const pages = groups.filter((g) => g.unit === 'page');
  expect(pages.length).toBe(bytes.length / P);
  pages.forEach((g, id) => {
    const at = id * P;
    expect(g.offset).toBe(at);
    expect(g.length).toBe(P);
    const page = bytes.subarray(at, at + P);
    if (id >= meta.pageCount) return expect(g.label).toMatch(/beyond the page count/);
    if (/stale bytes/.test(g.label)) return expect(g.label).toMatch(/\[free\]/);
    const s = byName(g);
    const h = checkPage(page, id, P, PATH);
    // The header: the checksum the page's bytes give, the type, count and id decodeMeta/checkPage read.
    const crc = mask(crc32c(page, 4, h.type === PAGE_META ? META_SIZE : P));
    expect(s.checksum).toMatchObject({ kind: 'crc', value: crc, computed: crc });
    expect(s.pageType).toMatchObject({ value: h.type, note: kindOf(h.type) });
    expect(s.count!.value).toBe(h.count);
    expect(s.pageId!.value).toBe(id);
    expect(s.nextPage!.value).toBe(h.next);
    const entries = (g.children ?? []).filter((c) => c.unit === 'entry');
    if (h.type === PAGE_META) {
      const m = decodeMeta(page.subarray(0, META_SIZE), id, at, PATH);
      expect([
        s.txid!.value,
        s.rootPage!.value,
        s.height!.value,
        s.freelistPage!.value,
        s.pageCount!.value,
        s.keyCount!.value,
        s.liveBytes!.value,
      ]).toEqual([m.txid, m.root, m.height, m.freelist, m.pageCount, m.keyCount, m.liveBytes]);
      expect(s.pageSize!.value).toBe(P);
      expect(s.magic!.value).toBe('KVBTREE1');
      if (id === 0) expect(s.shutdownFlag).toMatchObject({ kind: 'flag', offset: 88, length: 1, value: bytes[88] });
      else expect(s.shutdownFlag).toBeUndefined();
      expect(s.unusedBytes).toMatchObject({ kind: 'unused', note: 'all zero' });
    } else if (h.type === 3 || h.type === 2) {
      const tp = decodeTreePage(page, h, P, meta.pageCount, PATH);
      expect(entries.length).toBe(tp.keys.length);
      entries.forEach((e, i) => {
        const es = byName(e);
        const key = tp.leaf ? es.key! : es.separatorKey!;
        expect(valueBytes(key)).toEqual(tp.keys[i]);
        expect(es.keyLength!.value).toBe(tp.keys[i]!.length);
        if (!tp.leaf) return expect(es.childPage!.value).toBe(tp.children[i]);
        const v = tp.values[i]!;
        if ('bytes' in v) {
          expect(valueBytes(es.value!)).toEqual(v.bytes);
          expect(es.valueLength!.value).toBe(v.bytes.length);
        } else {
          expect(es.overflowPage!.value).toBe(v.overflow);
          expect(es.valueLength!.value).toBe(v.length);
        }
      });
    } else if (h.type === 4) {
      expect(valueBytes(s.overflowData!)).toEqual(decodeOverflow(page, h, P, PATH));
    } else if (h.type === 5) {
      const ids = allSpans([g])
        .filter((x) => x.name === 'freePageId')
        .map((x) => x.value);
      expect(ids).toEqual(decodeFreelist(page, h, P, meta.pageCount, PATH));
    }
  });
  return pages;
}

/** Every pointer of a live page lands on the start of a page of the kind it names. */
function expectPointers(pages: Group[]): void {
  const kinds: Record<string, RegExp> = {
    rootPage: /\[(leaf|branch)\]/,
    childPage: /\[(leaf|branch)\]/,
    overflowPage: /\[overflow\]/,
    freelistPage: /\[freelist\]/,
    freePageId: /\[free\]/,
    nextPage: /\[(overflow|freelist)\]/,
  };
  let seen = 0;
  for (const g of pages) {
    // Free pages hold stale bytes; the older meta page points into the commit before.
    if (/\[free\]|beyond/.test(g.label) || allSpans([g]).some((s) => s.note === 'the commit before')) continue;
    for (const s of allSpans([g]).filter((x) => x.kind === 'pointer')) {
      if (s.value === 0) {
        expect(s.target).toBeUndefined();
        continue;
      }
      const target = pages.find((p) => p.offset === s.target?.offset);
      expect(target, `${s.name} ${String(s.value)} in ${g.label}`).toBeDefined();
      expect(target!.label, `${s.name} in ${g.label}`).toMatch(kinds[s.name]!);
      seen++;
    }
  }
  expect(seen).toBeGreaterThan(3);
}

describe('the btree.db layout', () => {
  describe('of a cleanly closed store', () => {
    const bytes = closedStore();
    const meta = [0, 1]
      .map((slot) => decodeMeta(bytes.subarray(slot * P, slot * P + META_SIZE), slot, slot * P, PATH))
      .sort((a, b) => b.txid - a.txid)[0]!;
    const pages = expectAgreement(bytes, meta);

    it('holds every kind of page: two meta pages, branches, leaves, overflow, freelist and free pages', () => {
      const kinds = new Set(pages.map((g) => /\[(\w+)\]/.exec(g.label)?.[1]));
      expect([...kinds].sort()).toEqual(['branch', 'free', 'freelist', 'leaf', 'meta', 'overflow']);
      expect(firstMalformed(pages)).toBeUndefined();
    });

    it('agrees with the decoders page by page, and every pointer lands on the page it names', () => {
      expectPointers(pages);
      const leaf = allSpans(pages).find(
        (s) =>
          s.name === 'key' &&
          (s.value as Uint8Array).length === 5 &&
          new TextDecoder().decode(s.value as Uint8Array) === 'empty',
      );
      expect(leaf).toBeDefined();
    });

    it('names a cut or garbage file malformed and never throws', () => {
      expectDamageNamed(describePages, bytes, 'btree.db');
      expect(describeBtreeFile('btree.db', bytes)).toEqual(describePages(bytes));
      expect(describeBtreeFile('notes.txt', bytes)).toBeUndefined();
    });
  });

  describe('after a crash', () => {
    const bytes = crashedStore();
    const meta = [0, 1]
      .map((slot) => decodeMeta(bytes.subarray(slot * P, slot * P + META_SIZE), slot, slot * P, PATH))
      .sort((a, b) => b.txid - a.txid)[0]!;
    const pages = expectAgreement(bytes, meta);

    it('shows pages past the page count as unused and a free page with a torn write as stale', () => {
      expect(bytes[88]).toBe(utf8('D')[0]);
      expect(pages.filter((g) => /beyond the page count/.test(g.label)).length).toBeGreaterThan(0);
      const stale = pages.filter((g) => /stale bytes/.test(g.label));
      expect(stale.length).toBe(1);
      expect(allSpans(stale)).toMatchObject([{ name: 'stalePage', kind: 'unused', length: P }]);
      expect(firstMalformed(pages)).toBeUndefined();
      expectPointers(pages);
    });
  });
});
