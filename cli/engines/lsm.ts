/**
 * lsm.ts: `dump` and `check` for the LSM engine, using engines/lsm/format.ts, wal.ts,
 * manifest.ts and the table code (through lsm-table.ts).
 *
 * The store: write-ahead logs `NNNNNN.log` (checksummed frames, one per write or batch),
 * SSTables `NNNNNN.sst` (data blocks, a bloom filter, an index, a footer), the manifest
 * `MANIFEST-NNNNNN` (frames of version edits) and CURRENT, which names the live manifest.
 *
 * check first runs the engine's own checker (engines/lsm/check.ts, which holds a closed store
 * to be exact: no torn tail, no leftover file), and when it finds a problem that the next
 * open repairs (a crash's torn tail, a file recovery deletes), says so in a note. Then, to
 * report what it verified, it walks everything itself, stopping at the first problem:
 * CURRENT names a manifest; the manifest's
 * edits replay (the engine's Version refuses overlapping tables in levels 1+); every live
 * table exists with the size the manifest says and passes verifyTable (every checksum, keys
 * strictly increasing inside each block and across blocks, index and filter agreeing); its
 * entry count, tombstones, key range and sequence range match the manifest; each level 1+
 * holds tables in key order without overlap; a key found in two levels is newer in the
 * upper one; and every live log's frames and records decode. A torn tail at the end of the
 * newest log or of the manifest is what a crash leaves and the next open drops: a note, not a
 * problem. A bad last record in an older log is damage (no crash can tear a log that a newer
 * one followed), and check reports it.
 */
import { compareBytes, toHex } from '../../engines/bytes.js';
import { decodeFrame, FRAME_HEADER } from '../../engines/codec/frame.js';
import { decodeVarint } from '../../engines/codec/varint.js';
import {
  BLOCK_TRAILER,
  CURRENT,
  FOOTER,
  KIND_PUT,
  LOG_HEADER,
  decodeEdit,
  decodeLogRecord,
  parseName,
  tableName,
  type VersionEdit,
} from '../../engines/lsm/format.js';
import { readCurrent, readManifest, type ManifestState } from '../../engines/lsm/manifest.js';
import { readFrames } from '../../engines/lsm/wal.js';
import { checkLsmDir } from '../../engines/lsm/check.js';
import type { FileSystem } from '../../engines/storage/fs.js';
import { showBytes } from '../literal.js';
import type { HexField } from '../hexdump.js';
import { attempt, foreignFile, plural, readFile, storeFiles } from './files.js';
import { INTERNAL_TRAILER, verifyTable, type EntrySpan, type Table } from './lsm-table.js';
import type { CheckReport, DumpFile, DumpItem, DumpReport, EngineTools, Problem } from './types.js';

/** Text for a key or value in a dump line, cut at 40 characters. */
function short(b: Uint8Array): string {
  const s = showBytes(b);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/** 8 hex digits. */
function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** A uint32 LE at `at`. */
function u32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
}

/** A uint64 LE stored as two uint32 halves. */
function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
}

/** The two fields of a frame header at `at`. */
function frameFields(bytes: Uint8Array, at: number): HexField[] {
  return [
    { offset: at, length: 4, label: `frame length ${u32(bytes, at)}` },
    { offset: at + 4, length: 4, label: `CRC-32C (masked) ${hex8(u32(bytes, at + 4))}` },
  ];
}

/** Walks the frames of a log-shaped file, calling `each` for every whole one; returns where it stopped. */
function walkFrames(bytes: Uint8Array, each: (payload: Uint8Array, at: number, end: number) => void): { end: number; reason?: string } {
  let o = 0;
  while (o < bytes.length) {
    const r = decodeFrame(bytes, o);
    if (r.kind !== 'ok') return { end: o, reason: r.reason };
    each(r.payload, o, r.next);
    o = r.next;
  }
  return { end: o };
}

/** The items of a frame whose payload could not be decoded, or the bytes after the last whole frame. */
function tailItem(bytes: Uint8Array, at: number, reason: string): DumpItem {
  return { offset: at, length: bytes.length - at, kind: 'torn', summary: `${plural(bytes.length - at, 'byte')} that are not a whole frame: ${reason}` };
}

/** A log record's header fields and one child item per op (payload at file offset `base`). */
function logOps(p: Uint8Array, base: number): { header: HexField[]; ops: DumpItem[] } {
  const header: HexField[] = [
    { offset: base, length: 8, label: `first sequence ${u64(p, 0)}` },
    { offset: base + 8, length: 4, label: `op count ${u32(p, 8)}` },
  ];
  const ops: DumpItem[] = [];
  let o = LOG_HEADER;
  const count = u32(p, 8);
  for (let i = 0; i < count && o < p.length; i++) {
    const start = o;
    const kind = p[o]!;
    const kl = decodeVarint(p, o + 1)!;
    const key = p.subarray(kl.next, kl.next + kl.value);
    const fields: HexField[] = [
      { offset: base + o, length: 1, label: `kind ${kind} (${kind === KIND_PUT ? 'put' : 'delete'})` },
      { offset: base + o + 1, length: kl.next - o - 1, label: `key length ${kl.value}` },
      { offset: base + kl.next, length: kl.value, label: `key ${short(key)}` },
    ];
    o = kl.next + kl.value;
    let summary = `seq ${u64(p, 0) + i} delete ${short(key)}`;
    if (kind === KIND_PUT) {
      const vl = decodeVarint(p, o)!;
      const value = p.subarray(vl.next, vl.next + vl.value);
      fields.push({ offset: base + o, length: vl.next - o, label: `value length ${vl.value}` });
      fields.push({ offset: base + vl.next, length: vl.value, label: `value ${short(value)}` });
      summary = `seq ${u64(p, 0) + i} put ${short(key)}=${short(value)}`;
      o = vl.next + vl.value;
    }
    ops.push({ offset: base + start, length: o - start, kind: 'op', summary, fields });
  }
  return { header, ops };
}

/**
 * What a bad last frame means. A frame cut short is a torn append. A whole last frame whose
 * checksum fails is, to the engine, the same thing (a crash can land sectors out of order),
 * so open drops it too; but it may also be damage to a synced write, and the note says so.
 */
function tornNote(at: number, reason: string): string {
  if (/checksum/.test(reason)) {
    return `the last record, at offset ${at}, fails its checksum (${reason}): a torn append that reached the disk out of order, or damage to a written record; the engine cannot tell them apart, and the next open drops it`;
  }
  return `a torn tail from offset ${at} (${reason}): a crash cut the last append short; the next open drops it`;
}

/** Decodes a write-ahead log: one item per frame, the ops of a batch as children. */
function dumpLog(name: string, bytes: Uint8Array, live: boolean, newest: boolean): DumpFile {
  const file: DumpFile = { name, size: bytes.length, role: live ? 'write-ahead log' : 'old write-ahead log (garbage)', items: [], notes: [], bytes };
  let records = 0;
  const stop = walkFrames(bytes, (payload, at, end) => {
    const base = at + FRAME_HEADER;
    const r = attempt(name, base, () => decodeLogRecord(payload, name, base));
    if (!r.ok) {
      file.items.push({ offset: at, length: end - at, kind: 'record', summary: `undecodable: ${r.problem.what}`, fields: frameFields(bytes, at) });
      file.problem ??= r.problem;
      return;
    }
    records++;
    const { header, ops } = logOps(payload, base);
    const first = r.value[0]?.seq ?? u64(payload, 0);
    const head: DumpItem = { offset: at, length: FRAME_HEADER + LOG_HEADER, kind: 'header', summary: `frame of ${payload.length} bytes; ${plural(ops.length, 'op')} from seq ${first}`, fields: [...frameFields(bytes, at), ...header] };
    const summary = ops.length === 1 ? ops[0]!.summary : `batch of ${ops.length} ops from seq ${first}`;
    file.items.push({ offset: at, length: end - at, kind: 'record', summary, children: [head, ...ops] });
  });
  if (stop.end < bytes.length) {
    file.items.push(tailItem(bytes, stop.end, stop.reason!));
    const r = attempt(name, stop.end, () => readFrames(bytes, name));
    if (!r.ok) file.problem ??= r.problem;
    else if (!newest && live) file.problem ??= { file: name, offset: stop.end, what: `a bad record at the end of a log that is not the newest (${stop.reason}): damage, not a torn append` };
    else file.notes.push(tornNote(stop.end, stop.reason!));
  }
  file.notes.push(`${plural(records, 'record')} with good checksums`);
  if (!live) file.notes.push('every write in it is in a table now: the next open removes it');
  return file;
}

/** A version edit in one line. */
function editSummary(e: VersionEdit): string {
  const parts: string[] = [];
  if (e.logNumber !== undefined) parts.push(`log ${e.logNumber}`);
  if (e.nextFile !== undefined) parts.push(`next file ${e.nextFile}`);
  if (e.lastSeq !== undefined) parts.push(`last seq ${e.lastSeq}`);
  for (const a of e.added) parts.push(`+L${a.level} ${tableName(a.file.number)} [${short(a.file.smallest)} .. ${short(a.file.largest)}] ${plural(a.file.entries, 'entry', 'entries')}`);
  for (const d of e.deleted) parts.push(`-L${d.level} ${tableName(d.number)}`);
  return parts.join(', ') || '(empty edit)';
}

/** The tags of a version edit (format.ts) and the names of the varints each carries. */
const EDIT_TAGS: Record<number, { name: string; fields: string[]; keys?: boolean }> = {
  1: { name: 'log number', fields: ['log number'] },
  2: { name: 'next file number', fields: ['next file number'] },
  3: { name: 'last sequence', fields: ['last sequence'] },
  4: { name: 'deleted file', fields: ['level', 'file number'] },
  5: { name: 'added file', fields: ['level', 'file number', 'size', 'entries', 'tombstones', 'min seq', 'max seq'], keys: true },
};

/**
 * The fields of a version edit payload at file offset `base`, tag by tag. The payload has
 * been decoded by the engine's decodeEdit first; a field that does not parse ends the walk
 * with the rest as one run.
 */
function editFields(p: Uint8Array, base: number): HexField[] {
  const out: HexField[] = [];
  let o = 0;
  const num = (label: string): number | undefined => {
    const d = decodeVarint(p, o);
    if (!d) return undefined;
    out.push({ offset: base + o, length: d.next - o, label: `${label} ${d.value}` });
    o = d.next;
    return d.value;
  };
  while (o < p.length) {
    const start = o;
    const d = decodeVarint(p, o);
    const tag = d && EDIT_TAGS[d.value];
    if (!d || !tag) break;
    out.push({ offset: base + o, length: d.next - o, label: `tag ${d.value}: ${tag.name}` });
    o = d.next;
    if (tag.fields.some((f) => num(f) === undefined)) break;
    if (tag.keys) {
      for (const which of ['smallest', 'largest']) {
        const n = num(`${which} key length`);
        if (n === undefined || o + n > p.length) break;
        out.push({ offset: base + o, length: n, label: `${which} key ${short(p.subarray(o, o + n))}` });
        o += n;
      }
    }
    if (o === start) break;
  }
  if (o < p.length) out.push({ offset: base + o, length: p.length - o, label: 'the rest of the edit' });
  return out;
}

/** Decodes a manifest: one item per version edit. */
function dumpManifest(name: string, bytes: Uint8Array, live: boolean): DumpFile {
  const file: DumpFile = { name, size: bytes.length, role: live ? 'manifest (live)' : 'manifest (old, garbage)', items: [], notes: [], bytes };
  let n = 0;
  const stop = walkFrames(bytes, (payload, at, end) => {
    const base = at + FRAME_HEADER;
    const r = attempt(name, base, () => decodeEdit(payload, name, base));
    const summary = r.ok ? `${n === 0 ? 'snapshot: ' : ''}${editSummary(r.value)}` : `undecodable: ${r.problem.what}`;
    if (!r.ok) file.problem ??= r.problem;
    file.items.push({ offset: at, length: end - at, kind: 'edit', summary, fields: [...frameFields(bytes, at), ...editFields(payload, base)] });
    n++;
  });
  if (stop.end < bytes.length) {
    file.items.push(tailItem(bytes, stop.end, stop.reason!));
    const r = attempt(name, stop.end, () => readFrames(bytes, name));
    if (!r.ok) file.problem ??= r.problem;
    else file.notes.push(`a torn last edit from offset ${stop.end}: a change that never committed; the next open ignores it`);
  }
  if (!live) file.notes.push('CURRENT does not name it: the next open removes it');
  return file;
}

/** The item for one block entry (data or index), with its fields. */
function entryItem(bytes: Uint8Array, s: EntrySpan, summary: string, kind: string, internal: boolean): DumpItem {
  const fields: HexField[] = [
    { offset: s.shared[0], length: s.shared[1], label: `shared ${s.sharedBytes} key bytes with the previous entry` },
    { offset: s.unshared[0], length: s.unshared[1], label: `${s.keyDelta[1]} new key bytes` },
    { offset: s.valueLength[0], length: s.valueLength[1], label: `value length ${s.value[1]}` },
  ];
  const [ko, kl] = s.keyDelta;
  if (internal && kl >= INTERNAL_TRAILER) {
    const t = ko + kl - INTERNAL_TRAILER;
    const low = u32(bytes, t);
    const seq = u32(bytes, t + 4) * 0x100_0000 + (low >>> 8);
    fields.push({ offset: ko, length: kl - INTERNAL_TRAILER, label: `${s.sharedBytes ? 'key suffix' : 'key'} ${short(bytes.subarray(ko, t))}` });
    fields.push({ offset: t, length: INTERNAL_TRAILER, label: `trailer (seq * 256 + kind): seq ${seq}, ${(low & 0xff) === KIND_PUT ? 'put' : 'delete'}` });
  } else {
    fields.push({ offset: ko, length: kl, label: `key bytes ${short(bytes.subarray(ko, ko + kl))}` });
  }
  fields.push({ offset: s.value[0], length: s.value[1], label: kind === 'index' ? 'block handle: offset, size (varints)' : `value ${short(bytes.subarray(s.value[0], s.value[0] + s.value[1]))}` });
  return { offset: s.offset, length: s.length, kind, summary, fields };
}

/** The restart array and the block trailer of a block, as two items. */
function blockTail(bytes: Uint8Array, restartsAt: number, restarts: number, end: number): DumpItem[] {
  const fields: HexField[] = [];
  for (let i = 0; i < restarts; i++) fields.push({ offset: restartsAt + 4 * i, length: 4, label: `restart point at block offset ${u32(bytes, restartsAt + 4 * i)}` });
  fields.push({ offset: restartsAt + 4 * restarts, length: 4, label: `restart count ${restarts}` });
  const crcAt = end - BLOCK_TRAILER;
  return [
    { offset: restartsAt, length: crcAt - restartsAt, kind: 'restarts', summary: `${plural(restarts, 'restart point')}`, fields },
    { offset: crcAt, length: BLOCK_TRAILER, kind: 'trailer', summary: `block CRC-32C (masked) ${hex8(u32(bytes, crcAt))}`, fields: [{ offset: crcAt, length: 4, label: `CRC-32C (masked) ${hex8(u32(bytes, crcAt))}` }] },
  ];
}

/** The items of a verified table: data blocks with their entries, filter, index, footer. */
function tableItems(bytes: Uint8Array, t: Table): DumpItem[] {
  const items: DumpItem[] = [];
  t.blocks.forEach((b, i) => {
    const end = b.handle.offset + b.handle.size + BLOCK_TRAILER;
    const children = b.entries.map((e, j) =>
      entryItem(bytes, b.spans[j]!, `key=${short(e.key)} seq ${e.seq} ${e.kind === KIND_PUT ? `put value=${short(e.value)}` : 'delete'}`, 'entry', true),
    );
    children.push(...blockTail(bytes, b.restartsAt, b.restarts, end));
    const first = b.entries[0]!.key;
    const last = b.entries[b.entries.length - 1]!.key;
    items.push({ offset: b.handle.offset, length: end - b.handle.offset, kind: 'block', summary: `data block ${i}: ${plural(b.entries.length, 'entry', 'entries')}, keys ${short(first)} .. ${short(last)}`, children });
  });
  // The filter: bits then the probe count, then its trailer.
  const f = t.footer.filter;
  items.push({
    offset: f.offset,
    length: f.size + BLOCK_TRAILER,
    kind: 'filter',
    summary: `bloom filter: ${t.filter.bits} bits, ${t.filter.probes} probes per key`,
    fields: [
      { offset: f.offset, length: f.size - 1, label: `${t.filter.bits} filter bits` },
      { offset: f.offset + f.size - 1, length: 1, label: `probes ${t.filter.probes}` },
      { offset: f.offset + f.size, length: 4, label: `CRC-32C (masked) ${hex8(u32(bytes, f.offset + f.size))}` },
    ],
  });
  // The index: one entry per data block.
  const ix = t.footer.index;
  const ixEnd = ix.offset + ix.size + BLOCK_TRAILER;
  const children = t.index.map((e, i) => entryItem(bytes, t.indexSpans[i]!, `last key ${short(e.key)} → data block at ${e.handle.offset} (${e.handle.size} bytes)`, 'index', false));
  children.push(...blockTail(bytes, t.indexRestartsAt, t.index.length, ixEnd));
  items.push({ offset: ix.offset, length: ixEnd - ix.offset, kind: 'index', summary: `index block: ${plural(t.index.length, 'entry', 'entries')}`, children });
  // The footer.
  const at = bytes.length - FOOTER;
  items.push({
    offset: at,
    length: FOOTER,
    kind: 'footer',
    summary: `index at ${ix.offset} (${ix.size} bytes), filter at ${f.offset} (${f.size} bytes), magic ok`,
    fields: [
      { offset: at, length: 8, label: `index block offset ${ix.offset}` },
      { offset: at + 8, length: 4, label: `index block size ${ix.size}` },
      { offset: at + 12, length: 8, label: `filter block offset ${f.offset}` },
      { offset: at + 20, length: 4, label: `filter block size ${f.size}` },
      { offset: at + 24, length: 4, label: `CRC-32C (masked) ${hex8(u32(bytes, at + 24))}` },
      { offset: at + 28, length: 8, label: `magic ${JSON.stringify(String.fromCharCode(...bytes.subarray(at + 28, at + 36)))}` },
    ],
  });
  return items;
}

/** Decodes a table; a table that fails verification is shown as raw bytes with the problem. */
function dumpTable(name: string, bytes: Uint8Array, level: number | undefined): DumpFile {
  const role = level === undefined ? 'sstable (not in the manifest: garbage)' : `sstable, level ${level}`;
  const file: DumpFile = { name, size: bytes.length, role, items: [], notes: [], bytes };
  const r = attempt(name, 0, () => verifyTable(bytes, name));
  if (r.ok) {
    file.items = tableItems(bytes, r.value);
    const entries = r.value.blocks.reduce((n, b) => n + b.entries.length, 0);
    file.notes.push(`${plural(r.value.blocks.length, 'data block')}, ${plural(entries, 'entry', 'entries')}, every checksum ok`);
  } else {
    file.problem = r.problem;
    if (bytes.length) file.items.push({ offset: 0, length: bytes.length, kind: 'bytes', summary: `${plural(bytes.length, 'byte')} (the table does not verify, so it is not decoded)` });
  }
  if (level === undefined) file.notes.push('the manifest does not list it: the next open removes it');
  return file;
}

/** Reads CURRENT and the manifest it names (undefined when there is no CURRENT), or a problem. */
function manifestOf(fs: FileSystem, dir: string): { ok: true; name?: string; state?: ManifestState } | { ok: false; problem: Problem } {
  const cur = attempt(CURRENT, 0, () => readCurrent(fs, dir));
  if (!cur.ok) return cur;
  if (cur.value === undefined) return { ok: true };
  const name = cur.value;
  const st = attempt(name, 0, () => readManifest(fs, dir, name));
  if (!st.ok) return st;
  return { ok: true, name, state: st.value };
}

/** Decodes every file in the store. */
function dump(fs: FileSystem, dir: string): DumpReport {
  const m = manifestOf(fs, dir);
  const levels = new Map<number, number>();
  if (m.ok && m.state) for (const { level, file } of m.state.version.files()) levels.set(file.number, level);
  const logFloor = m.ok && m.state ? m.state.logNumber : 0;
  const logs = storeFiles(fs, dir).map(parseName).filter((p) => p?.kind === 'log').map((p) => p!.number);
  const newestLog = logs.length ? Math.max(...logs) : 0;
  const files = storeFiles(fs, dir).map((name): DumpFile => {
    const bytes = readFile(fs, dir, name);
    const p = parseName(name);
    if (!p) return foreignFile(name, bytes);
    if (p.kind === 'log') return dumpLog(name, bytes, p.number >= logFloor, p.number === newestLog);
    if (p.kind === 'table') return dumpTable(name, bytes, levels.get(p.number));
    if (p.kind === 'manifest') return dumpManifest(name, bytes, m.ok && m.name === name);
    // CURRENT and CURRENT.tmp: one line of text.
    const text = new TextDecoder().decode(bytes);
    const file: DumpFile = { name, size: bytes.length, role: p.kind === 'current' ? 'names the live manifest' : 'CURRENT being written (garbage)', items: [], notes: [], bytes };
    if (bytes.length) file.items.push({ offset: 0, length: bytes.length, kind: 'text', summary: JSON.stringify(text), fields: [{ offset: 0, length: bytes.length, label: `${JSON.stringify(text)}` }] });
    if (p.kind === 'current' && !m.ok) file.problem = m.problem;
    if (p.kind === 'temp') file.notes.push('a crash interrupted switching manifests: the next open removes it');
    return file;
  });
  return { engine: 'lsm', dir, files };
}

/** Verifies the whole store (see the header comment). */
function check(fs: FileSystem, dir: string): CheckReport {
  const report: CheckReport = { engine: 'lsm', dir, sound: true, checked: [], notes: [] };
  const fail = (p: Problem): CheckReport => {
    report.sound = false;
    report.problem = p;
    return report;
  };
  const names = storeFiles(fs, dir);
  for (const n of names) if (!parseName(n)) report.notes.push(`${n}: not a file of the lsm engine; ignored`);

  // Step 0: the engine's own checker (engines/lsm/check.ts) has the last word on soundness.
  const engine = attempt(dir, 0, () => checkLsmDir(fs, dir));
  if (!engine.ok) {
    explain(names, engine.problem, report);
    return fail(engine.problem);
  }

  // Step 1: CURRENT and the manifest.
  const m = manifestOf(fs, dir);
  if (!m.ok) return fail(m.problem);
  if (!m.name || !m.state) {
    const ours = names.filter((n) => parseName(n));
    report.checked.push('no CURRENT: a new store, which opens empty');
    if (ours.length) report.notes.push(`${ours.join(', ')}: left by a first open that a crash interrupted; the next open removes them`);
    return report;
  }
  const st = m.state;
  report.checked.push(`CURRENT names ${m.name}`);
  const perLevel = st.version.levels.map((l, i) => (l.length ? `L${i} ${l.length}` : '')).filter(Boolean).join(', ');
  report.checked.push(`${m.name}: ${plural(st.edits, 'edit')} replayed; ${plural(st.version.files().length, 'live table')}${perLevel ? ` (${perLevel})` : ''}; log ${st.logNumber}, next file ${st.nextFile}, last seq ${st.lastSeq}`);
  if (st.tornAt !== undefined) report.notes.push(`${m.name}: a torn last edit at offset ${st.tornAt} never committed; the next open ignores it`);

  // Step 2: every live table, whole, and against what the manifest says about it.
  const newest = new Map<string, { level: number; seq: number; table: string }>();
  for (const { level, file: meta } of st.version.files()) {
    const name = tableName(meta.number);
    if (!names.includes(name)) return fail({ file: m.name, offset: 0, what: `the manifest lists ${name} in level ${level}, but the file is missing` });
    const bytes = readFile(fs, dir, name);
    if (bytes.length !== meta.size) return fail({ file: name, offset: 0, what: `the table is ${bytes.length} bytes, but the manifest says ${meta.size}` });
    const r = attempt(name, 0, () => verifyTable(bytes, name));
    if (!r.ok) return fail(r.problem);
    const entries = r.value.blocks.flatMap((b) => b.entries);
    const tombstones = entries.filter((e) => e.kind !== KIND_PUT).length;
    const seqs = entries.map((e) => e.seq);
    const mismatch =
      entries.length !== meta.entries ? `${entries.length} entries, but the manifest says ${meta.entries}` :
      tombstones !== meta.tombstones ? `${tombstones} tombstones, but the manifest says ${meta.tombstones}` :
      entries.length && compareBytes(entries[0]!.key, meta.smallest) !== 0 ? 'its smallest key is not the one the manifest says' :
      entries.length && compareBytes(entries[entries.length - 1]!.key, meta.largest) !== 0 ? 'its largest key is not the one the manifest says' :
      seqs.some((s) => s < meta.minSeq || s > meta.maxSeq) ? `a sequence number outside the manifest's range ${meta.minSeq}..${meta.maxSeq}` : undefined;
    if (mismatch) return fail({ file: name, offset: 0, what: mismatch });
    report.checked.push(`${name} (L${level}): ${plural(r.value.blocks.length, 'data block')}, ${entries.length} entries in strictly increasing key order, every checksum ok, index and bloom filter agree, matches the manifest`);
    // Step 3 (gathered here): a key in two levels must be newer in the upper one.
    for (const e of entries) {
      const k = toHex(e.key);
      const seen = newest.get(k);
      if (seen && seen.level < level && seen.seq <= e.seq) {
        const block = r.value.blocks.find((b) => b.entries.includes(e));
        const at = block ? block.spans[block.entries.indexOf(e)]!.offset : 0;
        return fail({ file: name, offset: at, what: `key ${short(e.key)} has seq ${e.seq} in level ${level}, not older than seq ${seen.seq} in ${seen.table} (level ${seen.level})` });
      }
      if (!seen || level < seen.level || (level === seen.level && e.seq > seen.seq)) newest.set(k, { level, seq: e.seq, table: name });
    }
  }
  // Step 4: levels 1+ hold disjoint, sorted tables (the engine's Version also refuses overlap).
  st.version.levels.forEach((lv, l) => {
    if (l === 0 || lv.length === 0 || !report.sound) return;
    for (let i = 1; i < lv.length; i++) {
      if (compareBytes(lv[i - 1]!.largest, lv[i]!.smallest) >= 0) fail({ file: tableName(lv[i]!.number), offset: 0, what: `its key range overlaps ${tableName(lv[i - 1]!.number)} in level ${l}` });
    }
    if (report.sound) report.checked.push(`level ${l}: ${plural(lv.length, 'table')} in key order, no two overlapping`);
  });
  if (!report.sound) return report;
  if (st.version.files().length > 1) report.checked.push('across levels: every key found in two levels is newer in the upper one');

  // Step 5: the live logs (numbered from the manifest's log number up). Only the newest can
  // end in a torn append: every older one was complete before the next was started.
  const logNumbers = names.map(parseName).filter((p) => p?.kind === 'log').map((p) => p!.number);
  const newestLog = logNumbers.length ? Math.max(...logNumbers) : 0;
  for (const name of names) {
    const p = parseName(name);
    if (p?.kind !== 'log' || p.number < st.logNumber) continue;
    const bytes = readFile(fs, dir, name);
    const r = attempt(name, 0, () => readFrames(bytes, name));
    if (!r.ok) return fail(r.problem);
    let ops = 0;
    for (const rec of r.value.records) {
      const d = attempt(name, rec.offset, () => decodeLogRecord(rec.payload, name, rec.offset + FRAME_HEADER));
      if (!d.ok) return fail(d.problem);
      ops += d.value.length;
    }
    report.checked.push(`${name}: ${plural(r.value.records.length, 'record')} (${plural(ops, 'op')}), every frame checksum ok`);
    if (r.value.tornAt !== undefined && p.number !== newestLog) {
      return fail({ file: name, offset: r.value.tornAt, what: `the log ends in a bad record (${r.value.reason}), but it is not the newest log, so no crash can have torn it: this is damage` });
    }
    if (r.value.tornAt !== undefined) report.notes.push(`${name}: ${tornNote(r.value.tornAt, r.value.reason ?? '')}`);
  }

  // Step 6: garbage the next open removes.
  const live = new Set(st.version.files().map((f) => f.file.number));
  for (const name of names) {
    const p = parseName(name);
    if (!p) continue;
    if ((p.kind === 'log' && p.number < st.logNumber) || (p.kind === 'table' && !live.has(p.number)) || (p.kind === 'manifest' && name !== m.name) || p.kind === 'temp') {
      report.notes.push(`${name}: no longer referenced; the next open removes it`);
    }
  }
  return report;
}

/** Adds a note when the checker's problem is one the next open repairs (a crash's leftovers). */
function explain(names: string[], p: Problem, report: CheckReport): void {
  const logs = names.map(parseName).filter((x) => x?.kind === 'log').map((x) => x!.number);
  const newest = logs.length ? Math.max(...logs) : -1;
  const q = parseName(p.file);
  if (q?.kind === 'log' && q.number === newest && /torn record/.test(p.what)) {
    report.notes.push(`a crash mid-append leaves this: the next open cuts ${p.file} at offset ${p.offset}, and the store is sound again${/checksum/.test(p.what) ? ' (unless this record was damaged after it was written: the engine cannot tell the two apart at the end of the newest log)' : ''}`);
  } else if (q?.kind === 'log' && /torn record/.test(p.what)) {
    report.notes.push(`${p.file} is not the newest log, so no crash can have torn it: this is damage to written records, not a crash's torn tail`);
  } else if (/recovery should have deleted|does not list|old manifest|temporary file|no CURRENT/.test(p.what)) {
    report.notes.push('a crash left this behind: the next open deletes it, and the store is sound again');
  } else if (/manifest ends in a torn edit/.test(p.what)) {
    report.notes.push('a crash interrupted the last manifest edit: the next open ignores it (the change never committed)');
  }
}

/** The lsm engine's CLI module. */
export const lsmTools: EngineTools = { engine: 'lsm', dump, check };
