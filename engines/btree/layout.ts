/**
 * layout.ts: btree.db as named spans (engines/layout.ts), page by page, for `kv dump`, the
 * site's hex view and the tests. The byte table is the header comment of format.ts.
 *
 * The walk is open's: meta.ts finds the page size and the current commit (the valid meta
 * page with the higher txid); that commit's free list chain says which pages are free; then
 * every page is described by its type, its header first:
 *   - meta pages: the fields, page 0's shutdown flag, and the unused rest (zero);
 *   - branch pages: child pointer, key length and separator per entry, then free space;
 *   - leaf pages: key length, flags, value length, key and value (or the first overflow page)
 *     per entry, then free space;
 *   - overflow pages: their share of a value; freelist pages: page ids;
 *   - a free page whose checksum fails holds stale bytes; a page at or past the page count
 *     (a crash's leftover) is unused; a page cut short by the end of the file is malformed.
 * A page whose header or entries do not decode ends in one malformed span, and the walk goes
 * on with the next page (every page starts at a multiple of the page size). Never throws.
 */
import { crc32c, mask } from '../codec/crc32c.js';
import { KVError } from '../errors.js';
import {
  ByteReader,
  crcNote,
  fieldGroup,
  malformed,
  parentGroup,
  span,
  unused,
  type Group,
  type Span,
  shown,
} from '../layout.js';
import {
  BRANCH_ENTRY,
  CREATE_SUFFIX,
  DATA_FILE,
  FLAG_OVERFLOW,
  FIRST_DATA_PAGE,
  HEADER,
  LEAF_ENTRY,
  META_SIZE,
  OVERFLOW_REF,
  PAGE_BRANCH,
  PAGE_FREELIST,
  PAGE_LEAF,
  PAGE_META,
  PAGE_OVERFLOW,
  STATE_CLEAN,
  STATE_DIRTY,
  STATE_OFFSET,
  checkPage,
  decodeMeta,
  kindOf,
  type Meta,
} from './format.js';
import { readCommit } from './meta.js';

/** What a page is in the commit the file holds ('beyond': at or past the page count; 'unknown': no page type). */
export type PageRole = 'meta' | 'branch' | 'leaf' | 'overflow' | 'freelist' | 'free' | 'beyond' | 'unknown';

/** `n word`, plural when n is not 1. */
function count(n: number, word: string, words = word + 's'): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** The walk's view of the file: its bytes, page size and commit, and each page's role. */
interface Walk {
  r: ByteReader;
  P: number;
  meta: Meta;
  /** Pages of the committed free list chain, and the free page ids it lists. */
  chain: Set<number>;
  free: Set<number>;
}

/** A pointer span to page `id` (a null pointer, 0, has no target). */
function pagePointer(w: Walk, offset: number, name: string, id: number, extra: Partial<Span> = {}): Span {
  return span(offset, 4, name, 'pointer', {
    value: id,
    ...(id !== 0 ? { target: { offset: id * w.P } } : {}),
    ...extra,
  });
}

/**
 * The committed free list, read from the bytes: the chain's pages and the ids they list.
 * A chain page that does not check out ends the walk (the page itself is then described as
 * malformed where the walk reaches it).
 */
function freeList(r: ByteReader, P: number, meta: Meta): { chain: Set<number>; free: Set<number> } {
  const chain = new Set<number>();
  const free = new Set<number>();
  for (let id = meta.freelist; id !== 0 && id < meta.pageCount && !chain.has(id) && chain.size < meta.freelistPages;) {
    const page = r.slice(id * P, P);
    if (!page) break;
    try {
      const h = checkPage(page, id, P, DATA_FILE, PAGE_FREELIST);
      chain.add(id);
      for (let i = 0; i < h.count && HEADER + 4 * i + 4 <= P; i++) free.add(r.u32(id * P + HEADER + 4 * i)!);
      id = h.next;
    } catch {
      break;
    }
  }
  return { chain, free };
}

/** The 16-byte page header's spans. */
function headerGroup(w: Walk, id: number): Group {
  const at = id * w.P;
  const type = w.r.u8(at + 4)!;
  const end = type === PAGE_META ? META_SIZE : w.P;
  const stored = w.r.u32(at)!;
  const computed = mask(crc32c(w.r.bytes, at + 4, at + end));
  const pid = w.r.u32(at + 8)!;
  const next = w.r.u32(at + 12)!;
  const kind = kindOf(type);
  return fieldGroup('header', `${kind ?? 'unknown'} page, count ${w.r.u16(at + 6)}, next ${next}`, [
    span(at, 4, 'checksum', 'crc', { value: stored, computed, note: crcNote(stored, computed) }),
    span(at + 4, 1, 'pageType', 'header', { value: type, note: kind ?? 'unknown' }),
    span(at + 5, 1, 'flags', 'flag', { value: w.r.u8(at + 5)! }),
    span(at + 6, 2, 'count', 'length', { value: w.r.u16(at + 6)! }),
    span(at + 8, 4, 'pageId', 'header', {
      value: pid,
      ...(pid === id ? {} : { note: `not ${id}: a misdirected write?` }),
    }),
    pagePointer(w, at + 12, 'nextPage', next),
  ]);
}

/** A meta page's fields after the header, page 0's shutdown flag, and the unused rest. */
function metaParts(w: Walk, id: number, valid: boolean): { parts: Group[]; summary: string } {
  const at = id * w.P;
  const parts: Group[] = [];
  let summary = 'meta';
  let m: Meta | undefined;
  let why = 'the header does not check out';
  if (valid) {
    try {
      m = decodeMeta(w.r.bytes.subarray(at, at + META_SIZE), id, at, DATA_FILE);
    } catch (e) {
      why = e instanceof KVError ? e.message.replace(/^.* at byte offset \d+: /, '') : String(e);
    }
  }
  if (m) {
    const n = (
      o: number,
      len: number,
      name: string,
      kind: Span['kind'],
      value: number,
      extra: Partial<Span> = {},
    ): Span => span(at + o, len, name, kind, { value, ...extra });
    parts.push(
      fieldGroup(
        'meta',
        `txid ${m.txid}, root ${m.root}, height ${m.height}, ${m.pageCount} pages, ${count(m.keyCount, 'key')}`,
        [
          span(at + 16, 8, 'magic', 'header', { value: w.r.ascii(at + 16, 8)! }),
          n(24, 2, 'version', 'header', w.r.u16(at + 24)!),
          n(26, 2, 'reserved', 'unused', w.r.u16(at + 26)!),
          n(28, 4, 'pageSize', 'length', m.pageSize),
          n(32, 8, 'txid', 'seq', m.txid, {
            note: m.txid === w.meta.txid ? 'the current commit' : 'the commit before',
          }),
          pagePointer(w, at + 40, 'rootPage', m.root),
          n(44, 4, 'height', 'length', m.height),
          pagePointer(w, at + 48, 'freelistPage', m.freelist),
          n(52, 4, 'freelistPages', 'length', m.freelistPages),
          n(56, 4, 'pageCount', 'length', m.pageCount),
          n(60, 4, 'leafPages', 'length', m.leafPages),
          n(64, 4, 'branchPages', 'length', m.branchPages),
          n(68, 4, 'overflowPages', 'length', m.overflowPages),
          n(72, 8, 'keyCount', 'length', m.keyCount),
          n(80, 8, 'liveBytes', 'length', m.liveBytes),
        ],
      ),
    );
    summary = `meta txid ${m.txid}: root ${m.root}, height ${m.height}, ${count(m.keyCount, 'key')}`;
  } else {
    // A torn or damaged meta page: open falls back to the other one (meta.ts says when it may).
    parts.push(malformed(at + HEADER, at + META_SIZE, why));
    summary = `meta, not valid (${why})`;
  }
  let used = META_SIZE;
  if (id === 0) {
    const b = w.r.u8(at + STATE_OFFSET)!;
    const note =
      b === STATE_CLEAN
        ? 'closed cleanly'
        : b === STATE_DIRTY
          ? 'a session has not closed cleanly'
          : 'INVALID: neither C nor D';
    parts.push(
      fieldGroup('flag', `shutdown flag ${JSON.stringify(String.fromCharCode(b))}: ${note}`, [
        span(at + STATE_OFFSET, 1, 'shutdownFlag', 'flag', { value: b, note }),
      ]),
    );
    used = STATE_OFFSET + 1;
  }
  // The rest of a meta page is never written: it must be zero.
  const rest = w.r.bytes.subarray(at + used, at + w.P);
  const stray = rest.findIndex((x) => x !== 0);
  const note = stray < 0 ? 'all zero' : `byte ${at + used + stray} is not zero`;
  parts.push(
    fieldGroup('unused', `${count(w.P - used, 'byte')} unused (${note})`, [
      span(at + used, w.P - used, 'unusedBytes', 'unused', { note }),
    ]),
  );
  return { parts, summary };
}

/** A leaf page's entries (after the header), or a malformed span where one does not fit. */
function leafEntries(w: Walk, id: number, n: number): { parts: Group[]; used: number; keys: Uint8Array[] } {
  const at = id * w.P;
  const parts: Group[] = [];
  const keys: Uint8Array[] = [];
  let o = HEADER;
  for (let i = 0; i < n; i++) {
    const kl = o + LEAF_ENTRY <= w.P ? w.r.u16(at + o) : undefined;
    const flags = w.r.u8(at + o + 2) ?? 0;
    const vl = w.r.u32(at + o + 3) ?? 0;
    const inline = (flags & FLAG_OVERFLOW) === 0;
    const end = kl === undefined ? Infinity : o + LEAF_ENTRY + kl + (inline ? vl : OVERFLOW_REF);
    if (kl === undefined || end > w.P || flags > FLAG_OVERFLOW) {
      parts.push(
        malformed(
          at + o,
          at + w.P,
          flags > FLAG_OVERFLOW ? `entry ${i} has unknown flags ${flags}` : `entry ${i} runs past the end of the page`,
        ),
      );
      return { parts, used: w.P, keys };
    }
    const ks = at + o + LEAF_ENTRY;
    const key = w.r.bytes.subarray(ks, ks + kl);
    const spans = [
      span(at + o, 2, 'keyLength', 'length', { value: kl }),
      span(at + o + 2, 1, 'entryFlags', 'flag', {
        value: flags,
        note: inline ? 'value inline' : 'value in overflow pages',
      }),
      span(at + o + 3, 4, 'valueLength', 'length', { value: vl }),
      span(ks, kl, 'key', 'key', { value: key }),
    ];
    let text: string;
    if (inline) {
      const value = w.r.bytes.subarray(ks + kl, ks + kl + vl);
      spans.push(span(ks + kl, vl, 'value', 'value', { value }));
      text = `value=${shown(value)}`;
    } else {
      const first = w.r.u32(ks + kl)!;
      spans.push(pagePointer(w, ks + kl, 'overflowPage', first));
      text = `value of ${vl} bytes in overflow pages from ${first}`;
    }
    parts.push(fieldGroup('entry', `key=${shown(key)} ${text}`, spans));
    keys.push(key);
    o = end;
  }
  return { parts, used: o, keys };
}

/** A branch page's entries (after the header), or a malformed span where one does not fit. */
function branchEntries(w: Walk, id: number, n: number): { parts: Group[]; used: number; keys: Uint8Array[] } {
  const at = id * w.P;
  const parts: Group[] = [];
  const keys: Uint8Array[] = [];
  let o = HEADER;
  for (let i = 0; i < n; i++) {
    const kl = o + BRANCH_ENTRY <= w.P ? w.r.u16(at + o + 4) : undefined;
    if (kl === undefined || o + BRANCH_ENTRY + kl > w.P) {
      parts.push(malformed(at + o, at + w.P, `entry ${i} runs past the end of the page`));
      return { parts, used: w.P, keys };
    }
    const child = w.r.u32(at + o)!;
    const key = w.r.bytes.subarray(at + o + BRANCH_ENTRY, at + o + BRANCH_ENTRY + kl);
    const label =
      i === 0 ? `child page ${child}: keys below the next separator` : `child page ${child}: keys from ${shown(key)}`;
    parts.push(
      fieldGroup('entry', label, [
        pagePointer(w, at + o, 'childPage', child),
        span(at + o + 4, 2, 'keyLength', 'length', { value: kl }),
        span(at + o + BRANCH_ENTRY, kl, 'separatorKey', 'key', { value: key }),
      ]),
    );
    keys.push(key);
    o += BRANCH_ENTRY + kl;
  }
  return { parts, used: o, keys };
}

/** The body of a page that checked out, by its type: parts, a summary, and the bytes used. */
function body(w: Walk, id: number, type: number, n: number): { parts: Group[]; summary: string; used: number } {
  const at = id * w.P;
  if (type === PAGE_LEAF || type === PAGE_BRANCH) {
    const leaf = type === PAGE_LEAF;
    const e = leaf ? leafEntries(w, id, n) : branchEntries(w, id, n);
    const shownKeys = leaf ? e.keys : e.keys.slice(1);
    const range = shownKeys.length
      ? ` (${leaf ? 'keys' : 'separators'} ${shown(shownKeys[0]!)} .. ${shown(shownKeys[shownKeys.length - 1]!)})`
      : '';
    return {
      parts: e.parts,
      summary: `${leaf ? 'leaf' : 'branch'}, ${count(n, 'entry', 'entries')}${range}`,
      used: e.used,
    };
  }
  if (type === PAGE_OVERFLOW) {
    if (HEADER + n > w.P)
      return {
        parts: [malformed(at + HEADER, at + w.P, `it claims ${n} bytes, more than a page holds`)],
        summary: 'overflow',
        used: w.P,
      };
    const data = w.r.bytes.subarray(at + HEADER, at + HEADER + n);
    return {
      parts: [
        fieldGroup('data', `${count(n, 'byte')} of a value`, [
          span(at + HEADER, n, 'overflowData', 'value', { value: data }),
        ]),
      ],
      summary: `overflow, ${count(n, 'byte')} of a value, next ${w.r.u32(at + 12)}`,
      used: HEADER + n,
    };
  }
  // A freelist page: in the chain, or a placeholder on a free page (count 0).
  if (HEADER + 4 * n > w.P)
    return {
      parts: [malformed(at + HEADER, at + w.P, `it claims ${n} ids, more than a page holds`)],
      summary: 'freelist',
      used: w.P,
    };
  const ids: Span[] = [];
  for (let i = 0; i < n; i++)
    ids.push(pagePointer(w, at + HEADER + 4 * i, 'freePageId', w.r.u32(at + HEADER + 4 * i)!, { note: 'free' }));
  const list =
    ids
      .map((s) => s.value)
      .slice(0, 20)
      .join(', ') + (n > 20 ? ', …' : '');
  return {
    parts: n ? [fieldGroup('ids', `free page ids ${list}`, ids)] : [],
    summary: `freelist, ${count(n, 'free page id')}, next ${w.r.u32(at + 12)}`,
    used: HEADER + 4 * n,
  };
}

/** The role page `id` has in the commit (by the free list, else by its type byte). */
function roleOf(w: Walk, id: number): PageRole {
  if (id < FIRST_DATA_PAGE) return 'meta';
  if (id >= w.meta.pageCount) return 'beyond';
  if (w.chain.has(id)) return 'freelist';
  if (w.free.has(id)) return 'free';
  return kindOf(w.r.u8(id * w.P + 4)!) ?? 'unknown';
}

/** One whole page as a group: header and body, or what a page in its role holds. */
function pageGroup(w: Walk, id: number): Group {
  const at = id * w.P;
  const role = roleOf(w, id);
  if (role === 'beyond') {
    return parentGroup('page', `page ${id}: beyond the page count (written by a commit that did not finish; unused)`, [
      unused(at, at + w.P, 'pastPageCount', `${count(w.P, 'byte')} past the page count`),
    ]);
  }
  const tag = ` [${role}]`;
  let valid = true;
  let why = '';
  try {
    checkPage(w.r.bytes.subarray(at, at + w.P), id, w.P, DATA_FILE);
  } catch (e) {
    valid = false;
    why = e instanceof KVError ? e.message.replace(/^.* at byte offset \d+: /, '') : String(e);
  }
  // A free page's bytes are stale: whatever they hold, nothing reads them.
  if (!valid && role === 'free') {
    return parentGroup('page', `page ${id}${tag}: free page (stale bytes)`, [
      unused(at, at + w.P, 'stalePage', 'stale bytes: a free page nothing reads'),
    ]);
  }
  const type = w.r.u8(at + 4)!;
  const parts: Group[] = [headerGroup(w, id)];
  // Pages 0 and 1 are meta pages whatever they hold: page 0's flag and the zero rest are there even when the meta fields are torn.
  if (id < FIRST_DATA_PAGE) {
    const m = metaParts(w, id, valid && type === PAGE_META);
    parts.push(...m.parts);
    return parentGroup('page', `page ${id}${tag}: ${m.summary}`, parts);
  }
  if (valid && type === PAGE_META) {
    valid = false;
    why = 'a meta page where only pages 0 and 1 may be meta pages';
  }
  if (!valid) {
    parts.push(malformed(at + HEADER, at + w.P, why));
    return parentGroup('page', `page ${id}${tag}: unreadable: ${why}`, parts);
  }
  const b = body(w, id, type, w.r.u16(at + 6)!);
  parts.push(...b.parts);
  if (b.used < w.P) parts.push(unused(at + b.used, at + w.P, 'freeSpace', `${count(w.P - b.used, 'byte')} unused`));
  return parentGroup('page', `page ${id}${tag}: ${b.summary}`, parts);
}

/** The walk over `bytes`: page size and commit from meta.ts, the committed free list; or why there is none. */
function walkOf(bytes: Uint8Array): Walk | { error: string } {
  const r = new ByteReader(bytes);
  const reading = readCommit((at, n) => bytes.subarray(at, at + n), DATA_FILE);
  if ('error' in reading) return { error: reading.error.message.replace(/^.* at byte offset \d+: /, '') };
  const meta = reading.newest;
  return { r, P: reading.pageSize, meta, ...freeList(r, reading.pageSize, meta) };
}

/**
 * btree.db as spans: one group per page (see the header comment). A file no meta page of
 * which gives a page size is one malformed group. Never throws.
 */
export function describePages(bytes: Uint8Array): Group[] {
  if (bytes.length === 0) return [];
  const w = walkOf(bytes);
  if ('error' in w)
    return [malformed(0, bytes.length, `no meta page gives the page size, so no page can be found (${w.error})`)];
  const out: Group[] = [];
  for (let id = 0; id * w.P < bytes.length; id++) {
    const at = id * w.P;
    if (at + w.P > bytes.length) {
      out.push(
        parentGroup('page', `page ${id}: cut short by the end of the file`, [
          malformed(at, bytes.length, `page ${id} is cut short: ${bytes.length - at} of ${w.P} bytes`),
        ]),
      );
      break;
    }
    out.push(pageGroup(w, id));
  }
  // A file that ends on a page boundary before its page count lost its last pages.
  const pages = Math.ceil(bytes.length / w.P);
  if (pages * w.P === bytes.length && pages < w.meta.pageCount) {
    out.push(
      malformed(
        bytes.length,
        bytes.length,
        `the file ends after ${pages} pages, but the meta page says ${w.meta.pageCount}`,
      ),
    );
  }
  return out;
}

/**
 * A file of a btree store as spans, by its name: btree.db, or btree.db.new (a create a crash
 * interrupted, pages like btree.db's); undefined for a name the engine does not use.
 */
export function describeBtreeFile(name: string, bytes: Uint8Array): Group[] | undefined {
  return name === DATA_FILE || name === DATA_FILE + CREATE_SUFFIX ? describePages(bytes) : undefined;
}
