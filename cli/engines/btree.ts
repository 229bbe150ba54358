/**
 * btree.ts: `dump` and `check` for the B+tree engine, using engines/btree/format.ts and the
 * engine's own invariant checker (engines/btree/check.ts).
 *
 * The store is one file, btree.db, of fixed-size pages: two meta pages (0 and 1; the valid
 * one with the higher txid is the current commit), then branch, leaf, overflow and freelist
 * pages, and free pages whose bytes are stale. dump shows every page with its entries and
 * the role the current commit gives it, as the engine's describer (engines/btree/layout.ts)
 * names them; check reads the newest valid meta page as open would (meta.ts), loads the
 * committed free list as open does (recovery.ts), and runs checkTree: keys in order within and across
 * pages, every leaf at the same depth, fill factors, separators bounding their subtrees, every
 * page id accounted for exactly once, and the counters in the meta page.
 */
import type { FileSystem, FileHandle } from '../../engines/storage/fs.js';
import { join } from '../../engines/storage/path.js';
import { checkFile, checkTree, type PageRole } from '../../engines/btree/check.js';
import { readState } from '../../engines/btree/shutdown.js';
import { committedPager, stateOf } from '../../engines/btree/recovery.js';
import { readCommit, type MetaReading } from '../../engines/btree/meta.js';
import { describePages } from '../../engines/btree/layout.js';
import { CREATE_SUFFIX, DATA_FILE, geometry, type Meta } from '../../engines/btree/format.js';
import { firstMalformed } from '../../engines/layout.js';
import { attempt, foreignFile, plural, problemOf, readFile, storeFiles } from './files.js';
import { itemsOf } from './items.js';
import type { CheckReport, DumpFile, DumpReport, EngineTools, Problem } from './types.js';

/** The current commit as open would choose it (meta.ts), and what was wrong with either meta page. */
interface Chosen {
  reading: MetaReading;
  meta: Meta;
  /** Each slot's commit, or why it is not valid. */
  metas: (Meta | Problem)[];
  /** Set when open would refuse the file although a meta page is valid. */
  refused?: Problem;
}

/**
 * Reads both meta pages and chooses the current commit with the engine's own rules
 * (engines/btree/meta.ts): the valid page with the higher txid. `refused` says why open
 * would refuse the file although a meta page is valid (a damaged slot after a clean close,
 * a damaged slot that no torn write leaves, a non-zero unused byte).
 */
function chooseMeta(bytes: Uint8Array): { ok: true; value: Chosen } | { ok: false; problem: Problem } {
  const reading = readCommit(reader(bytes), DATA_FILE);
  if ('error' in reading) return { ok: false, problem: problemOf(reading.error, DATA_FILE, 0) };
  const metas = reading.slots.map((s): Meta | Problem => s.meta ?? problemOf(s.error!, DATA_FILE, s.offset));
  const refused = reading.choice.ok ? {} : { refused: problemOf(reading.choice.error, DATA_FILE, 0) };
  return { ok: true, value: { reading, meta: reading.newest, metas, ...refused } };
}

/** Reads of `bytes` as a file handle gives them (fewer bytes at the end of the file). */
function reader(bytes: Uint8Array): (offset: number, length: number) => Uint8Array {
  return (at, n) => bytes.subarray(at, at + n);
}

/**
 * Runs the engine's invariant checker on the committed tree of the file in `dir`, loaded as
 * open loads it (recovery.ts committedPager); with `clean` (the shutdown flag says the last
 * session closed cleanly), also checkFile(): the exact page count, both meta pages valid with
 * zero unused bytes, every free page whole.
 */
function runChecker(
  fs: FileSystem,
  dir: string,
  m: Meta,
  clean = false,
): { roles: PageRole[]; problems: string[]; keys: number } {
  const path = join(dir, DATA_FILE);
  const file: FileHandle = fs.open(path);
  let pager;
  try {
    pager = committedPager(file, path, geometry(m.pageSize), 1, m, undefined, fs);
    const r = checkTree(pager, stateOf(m));
    const problems = clean && r.problems.length === 0 ? checkFile(pager, r.roles) : r.problems;
    return { roles: r.roles, problems, keys: r.keys };
  } finally {
    pager?.closeRaw();
    file.close();
  }
}

/** The byte offset a checker sentence points at: the first page it names. */
function offsetOf(sentence: string, pageSize: number): number {
  const m = /\b(?:page|leaf|branch) (\d+)/.exec(sentence);
  return m ? Number(m[1]) * pageSize : 0;
}

/**
 * btree.db as the engine's describer (layout.ts) names it, page by page with the role the
 * current commit gives each page, and the first thing open or the checker would refuse.
 */
function dumpData(fs: FileSystem, dir: string, bytes: Uint8Array): DumpFile {
  const groups = describePages(bytes);
  const file: DumpFile = {
    name: DATA_FILE,
    size: bytes.length,
    role: 'pages',
    items: itemsOf(groups),
    notes: [],
    bytes,
  };
  const chosen = chooseMeta(bytes);
  if (!chosen.ok) {
    file.problem = chosen.problem;
    return file;
  }
  const { meta: m, metas, refused } = chosen.value;
  file.notes.push(
    `page size ${m.pageSize}; the current commit is txid ${m.txid} (meta page ${m.txid % 2}); ${m.pageCount} pages allocated`,
  );
  metas.forEach((x, slot) => {
    if (!('pageSize' in x) && !refused)
      file.notes.push(`meta page ${slot} is not valid (${x.what}): a commit a crash interrupted; open uses the other`);
  });
  if (refused) file.problem = refused;
  // A damaged page past the two meta pages (whose damage is meta.ts's to judge, above).
  const bad = firstMalformed(groups.slice(2));
  if (bad) file.problem ??= { file: DATA_FILE, offset: bad.offset, what: bad.note ?? 'the page does not decode' };
  const c = attempt(DATA_FILE, 0, () => runChecker(fs, dir, m));
  if (!c.ok) file.problem ??= c.problem;
  return file;
}

/** Decodes every file of the store. */
function dump(fs: FileSystem, dir: string): DumpReport {
  const files = storeFiles(fs, dir).map((name) => {
    const bytes = readFile(fs, dir, name);
    if (name === DATA_FILE) return dumpData(fs, dir, bytes);
    if (name === DATA_FILE + CREATE_SUFFIX) {
      return {
        name,
        size: bytes.length,
        role: 'a new file being created',
        items: bytes.length
          ? [{ offset: 0, length: bytes.length, kind: 'bytes', summary: `${plural(bytes.length, 'byte')}` }]
          : [],
        notes: ['a crash interrupted creating the store before its rename: the next open removes it'],
        bytes,
      };
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
    if (n === DATA_FILE + CREATE_SUFFIX)
      report.notes.push(`${n}: a create that a crash interrupted before its rename; the next open removes it`);
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
  const flag = attempt(DATA_FILE, 0, () => readState(reader(bytes), DATA_FILE));
  if (!flag.ok) return fail(flag.problem);
  const clean = flag.value === 'clean';
  if (clean)
    report.checked.push(
      `${DATA_FILE}: shutdown flag 'C': the last session closed cleanly, so the whole file is held to the clean-close rules`,
    );
  else
    report.notes.push(
      `${DATA_FILE}: shutdown flag 'D': the last session did not close cleanly (a crash, or the store is open); a torn meta page, stray pages past the page count and garbage in free pages are allowed, and the next open recovers from them`,
    );
  report.checked.push(
    `${DATA_FILE}: meta page ${m.txid % 2} is the current commit (txid ${m.txid}): checksum, magic, version and fields ok; page size ${m.pageSize}`,
  );
  chosen.value.metas.forEach((x, slot) => {
    if (!('pageSize' in x))
      report.notes.push(
        `meta page ${slot} is not valid (${x.what}); open uses the other one, as after a crash during a commit`,
      );
  });
  if (bytes.length < m.pageCount * m.pageSize)
    return fail({
      file: DATA_FILE,
      offset: bytes.length,
      what: `the file holds ${bytes.length} bytes, but the meta page says ${m.pageCount} pages of ${m.pageSize}`,
    });
  if (clean && chosen.value.metas.some((x) => !('pageSize' in x)))
    return fail(chosen.value.metas.find((x): x is Problem => !('pageSize' in x))!);
  const r = attempt(DATA_FILE, 0, () => runChecker(fs, dir, m, clean));
  if (!r.ok) return fail(r.problem);
  if (r.value.problems.length) {
    const first = r.value.problems[0]!;
    const p = fail({ file: DATA_FILE, offset: offsetOf(first, m.pageSize), what: first });
    if (r.value.problems.length > 1)
      report.notes.push(
        `${plural(r.value.problems.length - 1, 'more problem')} after it: ${r.value.problems.slice(1, 4).join('; ')}${r.value.problems.length > 4 ? '; …' : ''}`,
      );
    return p;
  }
  const counts = r.value.roles.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
  report.checked.push(
    `tree from root page ${m.root}, height ${m.height}: every page checksum ok, every leaf at depth ${m.height}, keys strictly increasing within and across pages, separators bound their subtrees, every non-root page at least a quarter full`,
  );
  report.checked.push(`${plural(r.value.keys, 'key')}, matching the meta page's count and page counters`);
  report.checked.push(
    `every one of the ${m.pageCount} pages accounted for exactly once: ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
  );
  if (clean)
    report.checked.push(
      `exactly ${m.pageCount} pages; both meta pages valid with zero unused bytes; every free page passes its checksum`,
    );
  const pages = Math.ceil(bytes.length / m.pageSize);
  if (pages > m.pageCount)
    report.notes.push(
      `${plural(pages - m.pageCount, 'page')} past the page count: written by a commit that did not finish; unused`,
    );
  return report;
}

/** The btree engine's CLI module. */
export const btreeTools: EngineTools = { engine: 'btree', dump, check };
