/**
 * btree.ts: `dump` and `check` for the B+tree engine, using engines/btree/format.ts and the
 * engine's own invariant checker (engines/btree/check.ts).
 *
 * The store is one file, btree.db, of fixed-size pages: two meta pages (0 and 1; the valid
 * one with the higher txid is the current commit), then branch, leaf, overflow and freelist
 * pages, and free pages whose bytes are stale. dump shows every page with its entries and
 * the role the current commit gives it; check reads the newest valid meta page as open
 * would, loads the committed free list, and runs checkTree: keys in order within and across
 * pages, every leaf at the same depth, fill factors, separators bounding their subtrees, every
 * page id accounted for exactly once, and the counters in the meta page.
 */
import type { FileSystem, FileHandle } from '../../engines/storage/fs.js';
import { join } from '../../engines/storage/path.js';
import { checkFile, checkTree, type PageRole } from '../../engines/btree/check.js';
import { decodeState } from '../../engines/btree/shutdown.js';
import { Pager } from '../../engines/btree/pager.js';
import { FreeList } from '../../engines/btree/freelist.js';
import { CREATE_SUFFIX } from '../../engines/btree/store.js';
import { currentMeta, newestMeta, pageSizeOf, readMetaSlots } from '../../engines/btree/meta.js';
import {
  BRANCH_ENTRY,
  DATA_FILE,
  FLAG_OVERFLOW,
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
  STATE_OFFSET,
  checkPage,
  decodeFreelist,
  decodeMeta,
  decodeOverflow,
  decodeTreePage,
  geometry,
  kindOf,
  type Meta,
  type PageHeader,
} from '../../engines/btree/format.js';
import { showBytes } from '../literal.js';
import type { HexField } from '../hexdump.js';
import { attempt, foreignFile, plural, problemOf, readFile, storeFiles } from './files.js';
import type { CheckReport, DumpFile, DumpItem, DumpReport, EngineTools, Problem } from './types.js';

/** Text for a key or value in a dump line, cut at 40 characters. */
function short(b: Uint8Array): string {
  const s = showBytes(b);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/** A uint32 LE at `at`. */
function u32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
}

/** A uint16 LE at `at`. */
function u16(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(at, true);
}

/** The current commit: the valid meta page with the higher txid, and what was wrong with the other. */
interface Chosen {
  meta: Meta;
  metas: (Meta | Problem)[];
  /** Set when open would refuse the file although a meta page is valid (see chooseMeta). */
  refused?: Problem;
}

/**
 * Reads both meta pages and chooses the current commit with the engine's own rules
 * (engines/btree/meta.ts): the valid page with the higher txid. `refused` says why open
 * would refuse the file although a meta page is valid (a damaged slot after a clean close,
 * a damaged slot that no torn write leaves, a non-zero unused byte).
 */
function chooseMeta(bytes: Uint8Array): { ok: true; value: Chosen } | { ok: false; problem: Problem } {
  const read = (at: number, n: number) => bytes.subarray(at, at + n);
  const P = pageSizeOf(read, DATA_FILE);
  if (P === undefined) return { ok: false, problem: firstMetaProblem(bytes) };
  const slots = readMetaSlots(read, P, DATA_FILE);
  const metas = slots.map((s): Meta | Problem => s.meta ?? problemOf(s.error!, DATA_FILE, s.offset));
  const meta = newestMeta(slots);
  if (!meta) return { ok: false, problem: metas[0] as Problem };
  const choice = currentMeta(slots, bytes[STATE_OFFSET] !== STATE_CLEAN, DATA_FILE);
  return { ok: true, value: { meta, metas, ...(choice.ok ? {} : { refused: problemOf(choice.error, DATA_FILE, 0) }) } };
}

/** Why meta page 0 does not decode (when no meta page gives a page size). */
function firstMetaProblem(bytes: Uint8Array): Problem {
  const r = attempt(DATA_FILE, 0, () => decodeMeta(bytes.subarray(0, META_SIZE), 0, 0, DATA_FILE));
  return r.ok ? { file: DATA_FILE, offset: 0, what: 'no meta page gives a usable page size' } : r.problem;
}

/**
 * Runs the engine's invariant checker on the committed tree of the file in `dir`; with
 * `clean` (the shutdown flag says the last session closed cleanly), also checkFile(): the
 * exact page count, both meta pages valid with zero unused bytes, every free page whole.
 */
function runChecker(fs: FileSystem, dir: string, m: Meta, clean = false): { roles: PageRole[]; problems: string[]; keys: number } {
  const path = join(dir, DATA_FILE);
  const file: FileHandle = fs.open(path);
  const pager = new Pager(file, path, geometry(m.pageSize), 1, new FreeList(), m, undefined, fs);
  try {
    // The committed free list, as open loads it (its pages are checked on the way).
    const { ids, chain } = pager.readFreelist(m.freelist, m.freelistPages);
    pager.freelist = new FreeList(ids);
    pager.freelistChain = chain;
    const r = checkTree(pager, { root: m.root, height: m.height, keyCount: m.keyCount, liveBytes: m.liveBytes });
    const problems = clean && r.problems.length === 0 ? checkFile(pager, r.roles) : r.problems;
    return { roles: r.roles, problems, keys: r.keys };
  } finally {
    pager.closeRaw();
    file.close();
  }
}

/** The byte offset a checker sentence points at: the first page it names. */
function offsetOf(sentence: string, pageSize: number): number {
  const m = /\b(?:page|leaf|branch) (\d+)/.exec(sentence);
  return m ? Number(m[1]) * pageSize : 0;
}

/** The fields of a page header at `at`. */
function headerFields(bytes: Uint8Array, at: number, h: PageHeader | undefined): HexField[] {
  return [
    { offset: at, length: 4, label: `CRC-32C (masked) ${u32(bytes, at).toString(16).padStart(8, '0')}${h ? ' (matches)' : ''}` },
    { offset: at + 4, length: 1, label: `page type ${bytes[at + 4]} (${kindOf(bytes[at + 4]!) ?? 'unknown'})` },
    { offset: at + 5, length: 1, label: 'flags' },
    { offset: at + 6, length: 2, label: `count ${u16(bytes, at + 6)}` },
    { offset: at + 8, length: 4, label: `page id ${u32(bytes, at + 8)}` },
    { offset: at + 12, length: 4, label: `next page ${u32(bytes, at + 12)}` },
  ];
}

/** The items of one page: its header, then what its type holds. */
function pageItem(bytes: Uint8Array, id: number, P: number, pageCount: number, role: PageRole | undefined): { item: DumpItem; problem?: Problem } {
  const at = id * P;
  const page = bytes.subarray(at, at + P);
  const roleText = role ? ` [${role}]` : '';
  const hr = attempt(DATA_FILE, at, () => checkPage(page, id, P, DATA_FILE));
  if (!hr.ok) {
    // A free page's bytes are stale: whatever they hold is not a problem.
    const summary = `${role === 'free' || role === 'pending' ? 'free page (stale bytes)' : `unreadable: ${hr.problem.what}`}`;
    return { item: { offset: at, length: page.length, kind: 'page', summary: `page ${id}${roleText}: ${summary}` }, ...(role === 'free' || role === 'pending' || role === undefined ? {} : { problem: hr.problem }) };
  }
  const h = hr.value;
  const children: DumpItem[] = [{ offset: at, length: HEADER, kind: 'header', summary: `${kindOf(h.type)} page, count ${h.count}, next ${h.next}`, fields: headerFields(bytes, at, h) }];
  let summary = `page ${id}${roleText}: ${kindOf(h.type)}`;
  let used = HEADER;
  if (h.type === PAGE_META) {
    const m = decodeMeta(page.subarray(0, META_SIZE), id, at, DATA_FILE);
    const names: [number, number, string][] = [
      [16, 8, `magic ${JSON.stringify(String.fromCharCode(...page.subarray(16, 24)))}`], [24, 2, `version ${u16(page, 24)}`], [26, 2, 'reserved'],
      [28, 4, `page size ${m.pageSize}`], [32, 8, `txid ${m.txid}`], [40, 4, `root page ${m.root}`], [44, 4, `height ${m.height}`],
      [48, 4, `first freelist page ${m.freelist}`], [52, 4, `freelist pages ${m.freelistPages}`], [56, 4, `page count ${m.pageCount}`],
      [60, 4, `leaf pages ${m.leafPages}`], [64, 4, `branch pages ${m.branchPages}`], [68, 4, `overflow pages ${m.overflowPages}`],
      [72, 8, `key count ${m.keyCount}`], [80, 8, `live bytes ${m.liveBytes}`],
    ];
    children.push({ offset: at + 16, length: META_SIZE - 16, kind: 'meta', summary: `txid ${m.txid}, root ${m.root}, height ${m.height}, ${m.pageCount} pages, ${m.keyCount} keys`, fields: names.map(([o, l, label]) => ({ offset: at + o, length: l, label })) });
    summary += ` txid ${m.txid}: root ${m.root}, height ${m.height}, ${plural(m.keyCount, 'key')}`;
    used = META_SIZE;
    if (id === 0) {
      used = META_SIZE + 1;
      const b = page[STATE_OFFSET]!;
      const st = attempt(DATA_FILE, STATE_OFFSET, () => decodeState(b, DATA_FILE));
      children.push({ offset: at + STATE_OFFSET, length: 1, kind: 'flag', summary: `shutdown flag ${JSON.stringify(String.fromCharCode(b))}: ${st.ok ? (st.value === 'clean' ? 'closed cleanly' : 'a session has not closed cleanly') : 'INVALID'}`, fields: [{ offset: at + STATE_OFFSET, length: 1, label: `shutdown flag 0x${b.toString(16)}` }] });
    }
  } else if (h.type === PAGE_LEAF || h.type === PAGE_BRANCH) {
    const tp = decodeTreePage(page, h, P, pageCount, DATA_FILE);
    const leaf = h.type === PAGE_LEAF;
    tp.keys.forEach((key, i) => {
      // Keys are views into `page`: their offset gives the entry's.
      const ko = key.byteOffset - bytes.byteOffset;
      if (leaf) {
        const e = ko - LEAF_ENTRY;
        const v = tp.values[i]!;
        const fields: HexField[] = [
          { offset: e, length: 2, label: `key length ${key.length}` },
          { offset: e + 2, length: 1, label: `flags ${page[e - at + 2]} (${page[e - at + 2]! & FLAG_OVERFLOW ? 'value in overflow pages' : 'value inline'})` },
          { offset: e + 3, length: 4, label: `value length ${u32(page, e - at + 3)}` },
          { offset: ko, length: key.length, label: `key ${short(key)}` },
        ];
        let end: number;
        let text: string;
        if ('bytes' in v) {
          fields.push({ offset: ko + key.length, length: v.bytes.length, label: `value ${short(v.bytes)}` });
          end = ko + key.length + v.bytes.length;
          text = `value=${short(v.bytes)}`;
        } else {
          fields.push({ offset: ko + key.length, length: OVERFLOW_REF, label: `first overflow page ${v.overflow}` });
          end = ko + key.length + OVERFLOW_REF;
          text = `value of ${v.length} bytes in overflow pages from ${v.overflow}`;
        }
        children.push({ offset: e, length: end - e, kind: 'entry', summary: `key=${short(key)} ${text}`, fields });
        used = end - at;
      } else {
        const e = ko - BRANCH_ENTRY;
        const child = tp.children[i]!;
        children.push({
          offset: e,
          length: BRANCH_ENTRY + key.length,
          kind: 'entry',
          summary: i === 0 ? `child page ${child}: keys below the next separator` : `child page ${child}: keys from ${short(key)}`,
          fields: [
            { offset: e, length: 4, label: `child page ${child}` },
            { offset: e + 4, length: 2, label: `key length ${key.length}` },
            { offset: ko, length: key.length, label: `separator ${short(key)}` },
          ],
        });
        used = ko + key.length - at;
      }
    });
    summary += `, ${plural(tp.keys.length, 'entry', 'entries')}${tp.keys.length ? ` (${leaf ? 'keys' : 'separators'} ${short(tp.keys[leaf ? 0 : Math.min(1, tp.keys.length - 1)]!)} .. ${short(tp.keys[tp.keys.length - 1]!)})` : ''}`;
  } else if (h.type === PAGE_OVERFLOW) {
    const data = decodeOverflow(page, h, P, DATA_FILE);
    children.push({ offset: at + HEADER, length: data.length, kind: 'data', summary: `${plural(data.length, 'byte')} of a value`, fields: [{ offset: at + HEADER, length: data.length, label: `value bytes ${short(data)}` }] });
    summary += `, ${plural(data.length, 'byte')} of a value, next ${h.next}`;
    used = HEADER + data.length;
  } else if (h.type === PAGE_FREELIST) {
    const ids = decodeFreelist(page, h, P, pageCount, DATA_FILE);
    children.push({ offset: at + HEADER, length: 4 * ids.length, kind: 'ids', summary: `free page ids ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}`, fields: ids.map((x, i) => ({ offset: at + HEADER + 4 * i, length: 4, label: `free page ${x}` })) });
    summary += `, ${plural(ids.length, 'free page id')}, next ${h.next}`;
    used = HEADER + 4 * ids.length;
  }
  // The unused rest of the page.
  if (used < page.length) children.push({ offset: at + used, length: page.length - used, kind: 'unused', summary: `${plural(page.length - used, 'byte')} unused` });
  return { item: { offset: at, length: page.length, kind: 'page', summary, children } };
}

/** Decodes btree.db page by page, with the role the current commit gives each page. */
function dumpData(fs: FileSystem, dir: string, bytes: Uint8Array): DumpFile {
  const file: DumpFile = { name: DATA_FILE, size: bytes.length, role: 'pages', items: [], notes: [], bytes };
  const chosen = chooseMeta(bytes);
  if (!chosen.ok) {
    file.problem = chosen.problem;
    if (bytes.length) file.items.push({ offset: 0, length: bytes.length, kind: 'bytes', summary: `${plural(bytes.length, 'byte')}: no valid meta page, so the page size is unknown` });
    return file;
  }
  const m = chosen.value.meta;
  const P = m.pageSize;
  let roles: PageRole[] = [];
  const c = attempt(DATA_FILE, 0, () => runChecker(fs, dir, m));
  if (c.ok) roles = c.value.roles;
  file.notes.push(`page size ${P}; the current commit is txid ${m.txid} (meta page ${m.txid % 2}); ${m.pageCount} pages allocated`);
  chosen.value.metas.forEach((x, slot) => {
    if (!('pageSize' in x) && !chosen.value.refused) file.notes.push(`meta page ${slot} is not valid (${x.what}): a commit a crash interrupted; open uses the other`);
  });
  if (chosen.value.refused) file.problem = chosen.value.refused;
  const pages = Math.ceil(bytes.length / P);
  for (let id = 0; id < pages; id++) {
    if (id >= m.pageCount) {
      file.items.push({ offset: id * P, length: Math.min(P, bytes.length - id * P), kind: 'page', summary: `page ${id}: beyond the page count (written by a commit that did not finish; unused)` });
      continue;
    }
    const r = attempt(DATA_FILE, id * P, () => pageItem(bytes, id, P, m.pageCount, id < 2 ? 'meta' : roles[id]));
    if (r.ok) {
      file.items.push(r.value.item);
      if (r.value.problem) file.problem ??= r.value.problem;
    } else {
      file.items.push({ offset: id * P, length: Math.min(P, bytes.length - id * P), kind: 'page', summary: `page ${id}: undecodable: ${r.problem.what}` });
      if (roles[id] !== 'free' && roles[id] !== 'pending') file.problem ??= r.problem;
    }
  }
  if (!c.ok) file.problem ??= c.problem;
  return file;
}

/** Decodes every file of the store. */
function dump(fs: FileSystem, dir: string): DumpReport {
  const files = storeFiles(fs, dir).map((name) => {
    const bytes = readFile(fs, dir, name);
    if (name === DATA_FILE) return dumpData(fs, dir, bytes);
    if (name === DATA_FILE + CREATE_SUFFIX) {
      return { name, size: bytes.length, role: 'a new file being created', items: bytes.length ? [{ offset: 0, length: bytes.length, kind: 'bytes', summary: `${plural(bytes.length, 'byte')}` }] : [], notes: ['a crash interrupted creating the store before its rename: the next open removes it'], bytes };
    }
    return foreignFile(name, bytes);
  });
  return { engine: 'btree', dir, files };
}

/** Verifies the committed tree with the engine's checker. */
function check(fs: FileSystem, dir: string): CheckReport {
  const report: CheckReport = { engine: 'btree', dir, sound: true, checked: [], notes: [] };
  const fail = (p: Problem): CheckReport => {
    report.sound = false;
    report.problem = p;
    return report;
  };
  const names = storeFiles(fs, dir);
  for (const n of names) {
    if (n === DATA_FILE + CREATE_SUFFIX) report.notes.push(`${n}: a create that a crash interrupted before its rename; the next open removes it`);
    else if (n !== DATA_FILE) report.notes.push(`${n}: not a file of the btree engine; ignored`);
  }
  if (!names.includes(DATA_FILE)) {
    report.checked.push(`no ${DATA_FILE}: a new store, which opens empty`);
    return report;
  }
  const bytes = readFile(fs, dir, DATA_FILE);
  // btree.db only ever appears whole (create renames it into place), so no valid meta page is damage.
  const chosen = chooseMeta(bytes);
  if (!chosen.ok) return fail(chosen.problem);
  if (chosen.value.refused) return fail(chosen.value.refused);
  const m = chosen.value.meta;
  // The shutdown flag: after a clean close every byte must be exact; after a crash, the
  // leftovers the next open recovers from are allowed.
  const flag = attempt(DATA_FILE, STATE_OFFSET, () => decodeState(bytes[STATE_OFFSET], DATA_FILE));
  if (!flag.ok) return fail({ ...flag.problem, offset: STATE_OFFSET });
  const clean = flag.value === 'clean';
  if (clean) report.checked.push(`${DATA_FILE}: shutdown flag 'C': the last session closed cleanly, so the whole file is held to the clean-close rules`);
  else report.notes.push(`${DATA_FILE}: shutdown flag 'D': the last session did not close cleanly (a crash, or the store is open); a torn meta page, stray pages past the page count and garbage in free pages are allowed, and the next open recovers from them`);
  report.checked.push(`${DATA_FILE}: meta page ${m.txid % 2} is the current commit (txid ${m.txid}): checksum, magic, version and fields ok; page size ${m.pageSize}`);
  chosen.value.metas.forEach((x, slot) => {
    if (!('pageSize' in x)) report.notes.push(`meta page ${slot} is not valid (${x.what}); open uses the other one, as after a crash during a commit`);
  });
  if (bytes.length < m.pageCount * m.pageSize) return fail({ file: DATA_FILE, offset: bytes.length, what: `the file holds ${bytes.length} bytes, but the meta page says ${m.pageCount} pages of ${m.pageSize}` });
  if (clean && chosen.value.metas.some((x) => !('pageSize' in x))) return fail(chosen.value.metas.find((x): x is Problem => !('pageSize' in x))!);
  const r = attempt(DATA_FILE, 0, () => runChecker(fs, dir, m, clean));
  if (!r.ok) return fail(r.problem);
  if (r.value.problems.length) {
    const first = r.value.problems[0]!;
    const p = fail({ file: DATA_FILE, offset: offsetOf(first, m.pageSize), what: first });
    if (r.value.problems.length > 1) report.notes.push(`${plural(r.value.problems.length - 1, 'more problem')} after it: ${r.value.problems.slice(1, 4).join('; ')}${r.value.problems.length > 4 ? '; …' : ''}`);
    return p;
  }
  const counts = r.value.roles.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
  report.checked.push(`tree from root page ${m.root}, height ${m.height}: every page checksum ok, every leaf at depth ${m.height}, keys strictly increasing within and across pages, separators bound their subtrees, every non-root page at least a quarter full`);
  report.checked.push(`${plural(r.value.keys, 'key')}, matching the meta page's count and page counters`);
  report.checked.push(`every one of the ${m.pageCount} pages accounted for exactly once: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  if (clean) report.checked.push(`exactly ${m.pageCount} pages; both meta pages valid with zero unused bytes; every free page passes its checksum`);
  const pages = Math.ceil(bytes.length / m.pageSize);
  if (pages > m.pageCount) report.notes.push(`${plural(pages - m.pageCount, 'page')} past the page count: written by a commit that did not finish; unused`);
  return report;
}

/** The btree engine's CLI module. */
export const btreeTools: EngineTools = { engine: 'btree', dump, check };
