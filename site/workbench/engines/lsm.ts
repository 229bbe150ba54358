/**
 * lsm.ts: the workbench adapter for the LSM-tree engine (engines/lsm/).
 *
 * Memory: the memtable, a skiplist in key order (each entry's sequence number, kind and how
 * many skiplist levels its node is on), plus what the pane cannot list: the immutable memtable
 * being flushed and the version (which tables are live, on which level), carried along for the
 * structure view. Disk: the write-ahead log as frames, SSTables as data blocks (entries with
 * shared/unshared key lengths), filter, index and footer, the manifest as frames of version
 * edits, and CURRENT, all split with the layouts of format.ts. The structure view (lsmStructure
 * + render/levels.ts) draws the skiplist, the log, the levels on one key axis, and what a get
 * or a scan did with each table: skipped by key range, the bloom filter's answer, blocks read.
 */
import type { EngineSnapshot, TraceEvent } from '../../../engines/registry-types.js';
import type { LsmEvent } from '../../../engines/lsm/events.js';
import type { LsmInspect, LsmMemEntry } from '../../../engines/lsm/inspect.js';
import { BLOCK_TRAILER, CURRENT, FOOTER, LOG_HEADER, TRAILER, decodeFooter, parseName } from '../../../engines/lsm/format.js';
import { FRAME_HEADER } from '../../../engines/codec/frame.js';
import { decodeVarint } from '../../../engines/codec/varint.js';
import { bytesText, readUintLE, type EngineAdapter, type FieldSpan, type MemoryPicture, type MemoryRow } from '../adapter.js';
import type { Frame } from '../frame.js';
import type { Recorder } from '../recorder.js';
import { renderLevels } from '../render/levels.js';

const COLUMNS = ['key', 'seq', 'kind', 'levels'];
const TITLE = 'memtable: a skiplist in key order (in memory)';

/** One live table as the view draws it. */
export interface TableView {
  file: string;
  level: number;
  entries: number;
  bytes: number;
  smallest: string;
  largest: string;
}

/** The memory picture, with what the structure view needs beyond the memtable's rows. */
export interface LsmMemory extends MemoryPicture {
  inspect?: LsmInspect;
  /** The frozen memtable being flushed, as rows, or null. */
  immutable: MemoryRow[] | null;
  tables: TableView[];
  log: string;
  limit: number;
  bytes: number;
}

/** A memtable row. */
function row(e: Pick<LsmMemEntry, 'key' | 'seq' | 'kind' | 'height'>): MemoryRow {
  return { id: e.key, cells: [String(e.seq), e.kind === 'delete' ? 'tombstone' : 'put', String(e.height)] };
}

/** Inserts or replaces a row, keeping key order (bytewise for ASCII keys). */
function upsert(rows: MemoryRow[], r: MemoryRow): MemoryRow[] {
  const out = rows.filter((x) => x.id !== r.id);
  let i = 0;
  while (i < out.length && out[i]!.id < r.id) i++;
  out.splice(i, 0, r);
  return out;
}

/** The notes under the memtable. */
function notes(m: { rows: MemoryRow[]; bytes: number; limit: number; log: string; tables: TableView[] }, lastSeq: number | string | undefined): [string, string][] {
  const l0 = m.tables.filter((t) => t.level === 0).length;
  return [
    ['memtable', `${m.bytes} of ${m.limit} B`],
    ['log', m.log || '—'],
    ['tables', `${m.tables.length} (${l0} in L0)`],
    ['last seq', String(lastSeq)],
  ];
}

/** Reads a note back. */
function note(mem: MemoryPicture, name: string): string {
  return mem.notes.find(([n]) => n === name)?.[1] ?? '';
}

/** Level and name from a manifest edit entry such as "L1 000007.sst". */
function tablesOf(i: LsmInspect): TableView[] {
  return i.levels.flatMap((l) => l.files.map((f) => ({ file: f.file, level: l.level, entries: f.entries, bytes: f.bytes, smallest: f.smallest, largest: f.largest })));
}

// ---- fields -----------------------------------------------------------------------------------

/** A field list builder with bounds checks. */
class Fields {
  readonly out: FieldSpan[] = [];
  constructor(private readonly b: Uint8Array) {}
  /** Adds a field if it lies inside the file. */
  add(offset: number, length: number, name: string, record?: number, text?: string): boolean {
    if (offset < 0 || length < 0 || offset + length > this.b.length) return false;
    const f: FieldSpan = { offset, length, name };
    if (record !== undefined) f.record = record;
    if (text !== undefined) f.text = text;
    this.out.push(f);
    return true;
  }
  /** Adds a varint field; returns its value and end, or undefined when malformed. */
  varint(offset: number, end: number, name: string, record?: number): { value: number; next: number } | undefined {
    const d = decodeVarint(this.b, offset, end);
    if (!d) return undefined;
    this.add(offset, d.next - offset, name, record, String(d.value));
    return d;
  }
}

/** A uint32 as hex, for checksums. */
function crcText(b: Uint8Array, o: number): string {
  return '0x' + readUintLE(b, o, 4).toString(16).padStart(8, '0') + ' (masked CRC-32C)';
}

/** Fields of a log file: frames of log records (sequence, count, ops). */
export function logFields(b: Uint8Array): FieldSpan[] {
  const F = new Fields(b);
  let at = 0;
  for (let rec = 0; at + FRAME_HEADER <= b.length; rec++) {
    const len = readUintLE(b, at, 4);
    const end = at + FRAME_HEADER + len;
    if (len < LOG_HEADER || end > b.length) break;
    F.add(at, 4, 'payloadLength', rec, String(len));
    F.add(at + 4, 4, 'crc', rec, crcText(b, at + 4));
    const p = at + FRAME_HEADER;
    F.add(p, 8, 'sequence', rec, String(readUintLE(b, p, 6)));
    const n = readUintLE(b, p + 8, 4);
    F.add(p + 8, 4, 'count', rec, String(n));
    let o = p + LOG_HEADER;
    for (let i = 0; i < n && o < end; i++) {
      const kind = b[o]!;
      F.add(o, 1, 'opKind', rec, kind === 1 ? '1 (put)' : '0 (delete)');
      const kl = F.varint(o + 1, end, 'keyLength', rec);
      if (!kl || kl.next + kl.value > end) break;
      F.add(kl.next, kl.value, 'key', rec, bytesText(b.subarray(kl.next, kl.next + kl.value)));
      o = kl.next + kl.value;
      if (kind === 1) {
        const vl = F.varint(o, end, 'valueLength', rec);
        if (!vl || vl.next + vl.value > end) break;
        F.add(vl.next, vl.value, 'value', rec, bytesText(b.subarray(vl.next, vl.next + vl.value)));
        o = vl.next + vl.value;
      }
    }
    at = end;
  }
  return F.out;
}

/** Adds the entries of one block (data or index) at [offset, offset + size), then its restarts and trailer. */
function blockFields(F: Fields, b: Uint8Array, offset: number, size: number, rec: number, index: boolean): void {
  const end = offset + size;
  if (size < 4 || end + BLOCK_TRAILER > b.length) return;
  const r = readUintLE(b, end - 4, 4);
  const restarts = end - 4 - 4 * r;
  if (restarts < offset) return;
  let o = offset;
  let prev = new Uint8Array(0);
  while (o < restarts) {
    const sh = F.varint(o, restarts, 'sharedLength', rec); // bytes reused from the previous key
    const un = sh && F.varint(sh.next, restarts, 'unsharedLength', rec);
    const vl = un && F.varint(un.next, restarts, 'valueLength', rec);
    if (!sh || !un || !vl || vl.next + un.value + vl.value > restarts || sh.value > prev.length) break;
    const key = new Uint8Array(sh.value + un.value);
    key.set(prev.subarray(0, sh.value));
    key.set(b.subarray(vl.next, vl.next + un.value), sh.value);
    prev = key;
    if (index || un.value < TRAILER) F.add(vl.next, un.value, 'key', rec, bytesText(index ? key : key.subarray(0, Math.max(0, key.length - TRAILER))));
    else {
      // The stored (unshared) bytes end with the internal key's 8-byte trailer: seq * 256 + kind.
      const user = key.subarray(0, key.length - TRAILER);
      const t = readUintLE(key, key.length - TRAILER, 6);
      F.add(vl.next, un.value - TRAILER, 'key', rec, bytesText(user));
      F.add(vl.next + un.value - TRAILER, TRAILER, 'sequenceAndKind', rec, `seq ${Math.floor(t / 256)}, ${t % 256 === 1 ? 'put' : 'delete'}`);
    }
    const vs = vl.next + un.value;
    F.add(vs, vl.value, index ? 'blockHandle' : 'value', rec, index ? handleText(b, vs, vl.value) : bytesText(b.subarray(vs, vs + vl.value)));
    o = vs + vl.value;
  }
  for (let i = 0; i < r; i++) F.add(restarts + 4 * i, 4, 'restartOffset', rec, String(readUintLE(b, restarts + 4 * i, 4)));
  F.add(end - 4, 4, 'restartCount', rec, String(r));
  F.add(end, BLOCK_TRAILER, 'blockCrc', rec, crcText(b, end));
}

/** A block handle's text: offset and size. */
function handleText(b: Uint8Array, o: number, n: number): string {
  const off = decodeVarint(b, o, o + n);
  const size = off && decodeVarint(b, off.next, o + n);
  return off && size ? `offset ${off.value}, size ${size.value}` : '?';
}

/** Fields of an SSTable: data blocks (one record each), filter, index, footer. */
export function tableFields(b: Uint8Array): FieldSpan[] {
  const F = new Fields(b);
  let footer;
  try {
    footer = decodeFooter(b.subarray(b.length - FOOTER), b.length, 'table');
  } catch {
    return [];
  }
  // The index names the data blocks.
  const idx = footer.index;
  const handles: { offset: number; size: number }[] = [];
  {
    const end = idx.offset + idx.size;
    const r = readUintLE(b, end - 4, 4);
    const restarts = end - 4 - 4 * r;
    let o = idx.offset;
    let prev = 0;
    while (o < restarts && restarts <= end) {
      const sh = decodeVarint(b, o, restarts);
      const un = sh && decodeVarint(b, sh.next, restarts);
      const vl = un && decodeVarint(b, un.next, restarts);
      if (!sh || !un || !vl) break;
      const vs = vl.next + un.value;
      const off = decodeVarint(b, vs, vs + vl.value);
      const size = off && decodeVarint(b, off.next, vs + vl.value);
      if (!off || !size) break;
      handles.push({ offset: off.value, size: size.value });
      o = vs + vl.value;
      prev++;
    }
    void prev;
  }
  handles.forEach((h, i) => blockFields(F, b, h.offset, h.size, i, false));
  const n = handles.length;
  // The filter: bit array, probe count, trailer.
  const fl = footer.filter;
  if (fl.size >= 1) {
    F.add(fl.offset, fl.size - 1, 'bloomBits', n, `${(fl.size - 1) * 8} bits`);
    F.add(fl.offset + fl.size - 1, 1, 'probeCount', n, String(b[fl.offset + fl.size - 1]));
    F.add(fl.offset + fl.size, BLOCK_TRAILER, 'filterCrc', n, crcText(b, fl.offset + fl.size));
  }
  blockFields(F, b, idx.offset, idx.size, n + 1, true);
  const at = b.length - FOOTER;
  const u = (o: number, len: number): string => String(readUintLE(b, at + o, len));
  F.add(at, 8, 'indexOffset', n + 2, u(0, 6));
  F.add(at + 8, 4, 'indexSize', n + 2, u(8, 4));
  F.add(at + 12, 8, 'filterOffset', n + 2, u(12, 6));
  F.add(at + 20, 4, 'filterSize', n + 2, u(20, 4));
  F.add(at + 24, 4, 'footerCrc', n + 2, crcText(b, at + 24));
  F.add(at + 28, 8, 'magic', n + 2, bytesText(b.subarray(at + 28, at + 36)));
  return F.out.sort((x, y) => x.offset - y.offset);
}

/** Fields of a manifest: frames, each payload one version edit. */
export function manifestFields(b: Uint8Array): FieldSpan[] {
  const F = new Fields(b);
  let at = 0;
  for (let rec = 0; at + FRAME_HEADER <= b.length; rec++) {
    const len = readUintLE(b, at, 4);
    const end = at + FRAME_HEADER + len;
    if (end > b.length) break;
    F.add(at, 4, 'payloadLength', rec, String(len));
    F.add(at + 4, 4, 'crc', rec, crcText(b, at + 4));
    F.add(at + FRAME_HEADER, len, 'versionEdit', rec, `${len} B of tagged fields`);
    at = end;
  }
  return F.out;
}

// ---- the adapter ------------------------------------------------------------------------------

export const lsmAdapter: EngineAdapter = {
  engine: 'lsm',
  defaultOptions: { memtableBytes: 256, blockBytes: 96, l0CompactionTrigger: 2, level1Bytes: 1024, targetFileBytes: 512 },

  memory(s: EngineSnapshot): MemoryPicture {
    if (s.engine !== 'lsm') throw new Error(`lsm adapter given a ${s.engine} picture`);
    const i = s as LsmInspect;
    const base = {
      rows: i.memtable.list.map(row),
      bytes: i.memtable.bytes,
      limit: i.memtable.limit,
      log: i.memtable.log,
      tables: tablesOf(i),
    };
    const mem: LsmMemory = {
      title: TITLE,
      columns: COLUMNS,
      ...base,
      total: i.memtable.entries,
      keys: null,
      notes: notes(base, i.lastSeq),
      inspect: i,
      immutable: i.immutable ? i.immutable.list.map(row) : null,
    };
    return mem;
  },

  emptyMemory(): MemoryPicture {
    const base = { rows: [], bytes: 0, limit: 0, log: '', tables: [] };
    const mem: LsmMemory = { title: TITLE, columns: COLUMNS, ...base, total: 0, keys: null, notes: notes(base, '—'), immutable: null };
    return mem;
  },

  applyEvent(mem: MemoryPicture, event: TraceEvent, after: MemoryPicture | null): MemoryPicture {
    if (!event.type.startsWith('lsm.')) return mem;
    const e = event as LsmEvent;
    const m = mem as LsmMemory;
    const a = after as LsmMemory | null;
    const redo = (next: LsmMemory, seq?: number | string): LsmMemory => ({ ...next, notes: notes(next, seq ?? note(m, 'last seq')) });
    switch (e.type) {
      case 'lsm.memtable.insert': {
        const rows = upsert(m.rows, row(e));
        return redo({ ...m, rows, total: e.entries, bytes: e.bytes, limit: e.limit }, e.seq);
      }
      case 'lsm.memtable.freeze':
        return redo({ ...m, immutable: m.rows, rows: [], total: 0, bytes: 0 });
      case 'lsm.log.new':
        return redo({ ...m, log: e.file, limit: m.limit || (a?.limit ?? 0) });
      case 'lsm.flush':
        return e.step === 'done' ? redo({ ...m, immutable: null }) : m;
      case 'lsm.table.written':
        return redo({ ...m, tables: [...m.tables.filter((t) => t.file !== e.file), { file: e.file, level: e.level, entries: e.entries, bytes: e.bytes, smallest: e.smallest, largest: e.largest }] });
      case 'lsm.compaction.install': {
        const gone = new Set(e.deleted.filter((f) => !e.added.includes(f)));
        const tables = m.tables.filter((t) => !gone.has(t.file)).map((t) => (e.added.includes(t.file) ? { ...t, level: e.outputLevel } : t));
        return redo({ ...m, tables });
      }
      case 'lsm.recover':
        // Recovery loads many things at once: the manifest's tables, the log's records.
        if (!a) return m;
        if (e.step === 'manifest') return redo({ ...m, tables: a.tables });
        if (e.step === 'log') return redo({ ...m, rows: a.rows, total: a.total, bytes: a.bytes, limit: a.limit }, note(a, 'last seq'));
        return m;
      default:
        return m;
    }
  },

  focusKey(event: TraceEvent): string | undefined {
    switch (event.type) {
      case 'lsm.memtable.insert':
      case 'lsm.get.memtable':
      case 'lsm.get.found':
        return event.key;
      default:
        return undefined;
    }
  },

  fileFields(name: string, bytes: Uint8Array): FieldSpan[] {
    const kind = parseName(name)?.kind;
    if (kind === 'log') return logFields(bytes);
    if (kind === 'table') return tableFields(bytes);
    if (kind === 'manifest') return manifestFields(bytes);
    if (kind === 'current' || kind === 'temp') return bytes.length ? [{ offset: 0, length: bytes.length, name: 'manifestName', text: bytesText(bytes, 40) }] : [];
    return [];
  },

  fileRole(name: string): string {
    const kind = parseName(name)?.kind;
    return kind === 'log'
      ? 'write-ahead log'
      : kind === 'table'
        ? 'SSTable (sorted, immutable)'
        : kind === 'manifest'
          ? 'manifest (version edits)'
          : name === CURRENT
            ? 'names the live manifest'
            : kind === 'temp'
              ? 'CURRENT being replaced'
              : 'other';
  },

  describe(event: TraceEvent): string | undefined {
    if (!event.type.startsWith('lsm.')) return undefined;
    const e = event as LsmEvent;
    switch (e.type) {
      case 'lsm.log.append':
        return `log: append ${e.ops === 1 ? 'one op' : `a batch of ${e.ops} ops`} (seq ${e.seq}) to ${e.file} @${e.offset}, ${e.bytes} B: durable at the next sync`;
      case 'lsm.log.new':
        return `new write-ahead log ${e.file}`;
      case 'lsm.memtable.insert':
        return `memtable: ${e.created ? 'insert' : 'replace'} ${e.key} (seq ${e.seq}, ${e.kind}) on ${e.height} skiplist level${e.height > 1 ? 's' : ''}; ${e.bytes} of ${e.limit} B`;
      case 'lsm.memtable.freeze':
        return `the memtable is full (${e.bytes} B, ${e.entries} entries): frozen, to be flushed; writes go to a new one`;
      case 'lsm.flush':
        return e.step === 'start' ? `flush: write the frozen memtable's ${e.entries} entries, in key order, to ${e.file}` : `flush done: ${e.file} (${e.bytes} B) is live; the old log is no longer needed`;
      case 'lsm.table.block':
        return e.block === 'data'
          ? `${e.file}: data block @${e.offset}, ${e.bytes} B, ${e.entries} entries ${e.firstKey}…${e.lastKey}`
          : e.block === 'filter'
            ? `${e.file}: bloom filter over ${e.entries} keys, ${e.bytes} B`
            : e.block === 'index'
              ? `${e.file}: index block, one entry per data block (${e.entries}), ${e.bytes} B`
              : `${e.file}: footer (where the index and filter are), ${e.bytes} B`;
      case 'lsm.table.written':
        return `${e.file} complete and synced: L${e.level}, ${e.entries} entries ${e.smallest}…${e.largest}, ${e.bytes} B`;
      case 'lsm.get.memtable':
        return `get ${e.key}: the ${e.which} says ${e.found === 'no' ? 'not here' : e.found}`;
      case 'lsm.get.skip':
        return `skip ${e.file} (L${e.level}): ${e.key} is outside its key range ${e.smallest}…${e.largest}, no I/O`;
      case 'lsm.bloom':
        return e.answer === 'no' ? `bloom filter of ${e.file} says NO: ${e.key} is certainly not there, no block read` : `bloom filter of ${e.file} says MAYBE for ${e.key}: read the block`;
      case 'lsm.index':
        return `index of ${e.file}: ${e.key} can only be in block ${e.block + 1} of ${e.blocks} (@${e.offset})`;
      case 'lsm.block.read':
        return `${e.file}: data block @${e.offset} (${e.entries} entries), ${e.cache === 'hit' ? 'from the block cache, no I/O' : 'read from disk'}`;
      case 'lsm.get.found':
        if ((e as { falsePositive?: boolean }).falsePositive) return `${e.file}: its filter said maybe, but ${e.key} is not there: a false positive cost one block read`;
        return e.source === 'none' ? `get ${e.key}: in no memtable and no table: absent` : `get ${e.key}: ${e.result} found in ${e.file ?? e.source}`;
      case 'lsm.compaction.pick':
        return `compaction (${e.reason}, score ${e.score.toFixed(2)}): L${e.level} ${e.inputs.join(', ')}${e.overlapping.length ? ` + L${e.outputLevel} ${e.overlapping.join(', ')}` : ''} → L${e.outputLevel}${e.trivialMove ? ' (a move: no overlap, no rewrite)' : ''}`;
      case 'lsm.compaction.merge':
        return `compaction merged ${e.entriesIn} entries into ${e.entriesOut}: ${e.shadowed} older versions and ${e.tombstonesDropped} tombstones dropped, ${e.bytesIn} → ${e.bytesOut} B`;
      case 'lsm.compaction.install':
        return `install: L${e.outputLevel} gains ${e.added.join(', ')}; ${e.deleted.join(', ') || 'nothing'} removed from the version`;
      case 'lsm.file.delete':
        return `delete ${e.file} (${e.reason})`;
      case 'lsm.manifest.edit':
        return `manifest ${e.file}: edit${e.added.length ? ` +${e.added.join(', ')}` : ''}${e.deleted.length ? ` −${e.deleted.join(', ')}` : ''}${e.logNumber !== undefined ? `, log number ${e.logNumber}` : ''}, synced`;
      case 'lsm.recover':
        return `recovery (${e.step}): ${e.detail}`;
      default:
        return undefined;
    }
  },

  scenarios: [
    {
      name: 'fill',
      title: 'Fill until a flush',
      about: 'Each put appends to the log and inserts into the skiplist; at memtableBytes the memtable is frozen and flushed into an SSTable.',
      commands: ['fill 20', 'sync'],
    },
    {
      name: 'compaction',
      title: 'Flushes and a compaction',
      about: 'Two L0 tables trigger a compaction that merges them into sorted, non-overlapping L1 tables.',
      commands: ['fill 36', 'sync'],
    },
    {
      name: 'get',
      title: 'Gets: key ranges and bloom filters',
      about: 'A get checks the memtable, then skips tables whose key range cannot hold the key and asks each bloom filter.',
      commands: ['fill 40', 'sync', 'get key005', 'get key0055', 'get key0155', 'get aardvark', 'get key031', 'get key038'],
    },
    {
      name: 'scan',
      title: 'A scan merges every source',
      about: 'A scan merges the memtable and every table it overlaps, newest version of each key first.',
      commands: ['fill 40', 'put key010 new', 'delete key012', 'scan key008 key015'],
    },
    {
      name: 'overwrite',
      title: 'Overwrites and tombstones',
      about: 'Rewrites and deletes land in new tables; compaction drops the older versions and, at the bottom, the tombstones.',
      commands: ['fill 16', ...Array.from({ length: 16 }, (_, i) => (i % 2 ? `delete key${String(i + 1).padStart(3, '0')}` : `put key${String(i + 1).padStart(3, '0')} again`)), 'compact', 'scan'],
    },
    {
      name: 'recovery',
      title: 'Recovery: manifest and log',
      about: 'After a crash, open reads CURRENT, replays the manifest for the tables, then replays the log into a new memtable.',
      commands: ['fill 24', 'sync', 'put late1 x', 'put late2 y', 'sync', 'put lost z', 'crash', 'reopen', 'get late2', 'get lost'],
    },
  ],

  structure: {
    title: 'Memtable, log and levels: where every key is',
    render(svg: SVGSVGElement, width: number, frame: Frame, rec: Recorder, ms: number): void {
      renderLevels(svg, width, lsmStructure(rec, frame), ms);
    },
  },
};

// ---- the structure model ---------------------------------------------------------------------

/** What a table is doing at this step. */
export type TableMark = 'new' | 'input' | 'skip' | 'bloom-no' | 'bloom-maybe' | 'read' | 'found';

/** The structure view's model at one step. No DOM. */
export interface LsmStructure {
  state: Frame['state'];
  memtable: { rows: MemoryRow[]; bytes: number; limit: number; log: string } | null;
  immutable: MemoryRow[] | null;
  tables: TableView[];
  marks: Map<string, { mark: TableMark; text: string }>;
  /** The memtable row this step is about. */
  focus: string | undefined;
  /** Logs and manifest on disk now: size and unsynced bytes. */
  logs: { name: string; size: number; unsynced: number }[];
  manifest: { name: string; size: number; current: boolean }[];
  /** What the command's get or scan did, in order, as short phrases. */
  path: string[];
  caption: string | undefined;
  bloom: { checks: number; no: number };
}

/** The structure at `frame`, from the memory picture (kept step by step) and the command's events. */
export function lsmStructure(rec: Recorder, frame: Frame): LsmStructure {
  const cmd = frame.command;
  const mem = frame.memory as LsmMemory | null;
  const marks = new Map<string, { mark: TableMark; text: string }>();
  const path: string[] = [];
  for (let j = cmd.firstStep; j <= frame.step; j++) {
    const e = rec.steps[j]!.event as LsmEvent;
    switch (e.type) {
      case 'lsm.get.memtable':
        path.push(`${e.which}: ${e.found === 'no' ? 'no' : e.found}`);
        break;
      case 'lsm.get.skip':
        marks.set(e.file, { mark: 'skip', text: 'skipped: key out of range' });
        path.push(`${e.file} skipped (range)`);
        break;
      case 'lsm.bloom':
        marks.set(e.file, { mark: e.answer === 'no' ? 'bloom-no' : 'bloom-maybe', text: `bloom filter: ${e.answer.toUpperCase()}` });
        path.push(`${e.file} bloom: ${e.answer}`);
        break;
      case 'lsm.block.read':
        if (marks.get(e.file)?.mark !== 'input') marks.set(e.file, { mark: 'read', text: `block @${e.offset} ${e.cache === 'hit' ? 'cached' : 'read'}` });
        if (cmd.text.startsWith('scan')) path.push(`${e.file} block @${e.offset}`);
        break;
      case 'lsm.get.found':
        if ((e as { falsePositive?: boolean }).falsePositive) {
          if (e.file) marks.set(e.file, { mark: 'bloom-maybe', text: 'filter said maybe: a false positive' });
          path.push(`${e.file} false positive`);
          break;
        }
        if (e.file) marks.set(e.file, { mark: 'found', text: `found: ${e.result}` });
        path.push(e.source === 'none' ? 'absent' : `→ ${e.result} from ${e.file ?? e.source}`);
        break;
      case 'lsm.compaction.pick':
        for (const f of [...e.inputs, ...e.overlapping]) marks.set(f, { mark: 'input', text: 'compaction input' });
        break;
      case 'lsm.table.written':
        marks.set(e.file, { mark: 'new', text: 'new table' });
        break;
    }
  }
  // Bloom totals over the whole recording up to this step.
  const bloom = { checks: 0, no: 0 };
  for (let j = 0; j <= frame.step; j++) {
    const e = rec.steps[j]!.event;
    if (e.type === 'lsm.bloom') {
      bloom.checks++;
      if ((e as Extract<LsmEvent, { type: 'lsm.bloom' }>).answer === 'no') bloom.no++;
    }
  }
  const logs: LsmStructure['logs'] = [];
  const manifest: LsmStructure['manifest'] = [];
  const current = frame.disk.files.find((f) => f.name === CURRENT);
  const currentName = current ? new TextDecoder().decode(current.bytes).trim() : '';
  for (const f of frame.disk.files) {
    const k = parseName(f.name)?.kind;
    if (k === 'log') logs.push({ name: f.name, size: f.bytes.length, unsynced: f.unsynced.reduce((n, [a, b]) => n + b - a, 0) });
    if (k === 'manifest') manifest.push({ name: f.name, size: f.bytes.length, current: f.name === currentName });
  }
  const ev = frame.event;
  const open = frame.state === 'open' && mem !== null;
  // A table the disk no longer has (deleted after a compaction) is not drawn.
  const tables = open ? mem.tables : [];
  return {
    state: frame.state,
    memtable: open ? { rows: mem.rows, bytes: mem.bytes, limit: mem.limit, log: mem.log } : null,
    immutable: open ? mem.immutable : null,
    tables,
    marks,
    focus: frame.focusKey,
    logs,
    manifest,
    path,
    caption: ev.type.startsWith('lsm.') ? lsmAdapter.describe(ev as TraceEvent) : undefined,
    bloom,
  };
}
