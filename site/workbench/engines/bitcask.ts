/**
 * bitcask.ts: the workbench adapter for the Bitcask engine (engines/bitcask/).
 *
 * Memory: the keydir, key -> (file, value offset, value size). Disk: NNNNNN.data files as
 * strips of records (crc | seq | flags | key length | value length | key | value), hint
 * files, and the MERGE marker, all split with format.ts's own decoders. A record is live
 * when the keydir points at its value; the rest are dead bytes a merge reclaims.
 */
import type { EngineSnapshot, TraceEvent } from '../../../engines/registry-types.js';
import type { BitcaskEvent } from '../../../engines/bitcask/events.js';
import { FLAG_TOMBSTONE, MANIFEST_NAME, MANIFEST_TMP, decodeRecord, hintFields, manifestFields, parseName, recordFields } from '../../../engines/bitcask/format.js';
import { bytesText, readUintLE, type EngineAdapter, type FieldSpan, type MemoryPicture, type MemoryRow } from '../adapter.js';

const COLUMNS = ['key', 'file', 'at', 'size'];
const TITLE = 'keydir (in memory)';

/** The numbers under the keydir. */
function notes(keys: number, active: string | undefined, nextSeq: number, merges: number): [string, string][] {
  return [
    ['keys', String(keys)],
    ['active file', active ?? '—'],
    ['next seq', String(nextSeq)],
    ['merges', String(merges)],
  ];
}

/** Replaces one note's value. */
function setNote(notes: [string, string][], name: string, value: string): [string, string][] {
  return notes.map(([n, v]) => [n, n === name ? value : v]);
}

/** A keydir row. */
function row(key: string, file: string, valueOffset: number, valueSize: number): MemoryRow {
  // The file column shows the id part of the name (000001 for 000001.data), to stay narrow.
  return { id: key, cells: [file.replace(/\.data$/, ''), String(valueOffset), String(valueSize)], target: { file, offset: valueOffset, length: valueSize } };
}

/** Inserts or replaces a row, keeping key order. */
function upsert(rows: MemoryRow[], r: MemoryRow): MemoryRow[] {
  const out = rows.filter((x) => x.id !== r.id);
  let i = 0;
  while (i < out.length && out[i]!.id < r.id) i++;
  out.splice(i, 0, r);
  return out;
}

/** The decoded text of a field. */
function fieldText(name: string, b: Uint8Array, offset: number, length: number): string {
  const bytes = b.subarray(offset, offset + length);
  if (name.toLowerCase().includes('crc')) return '0x' + readUintLE(b, offset, 4).toString(16).padStart(8, '0') + ' (masked)';
  switch (name) {
    case 'flags': {
      const f = b[offset] ?? 0;
      const parts = [f & FLAG_TOMBSTONE ? 'tombstone' : 'put', ...(f & 2 ? ['batch continues'] : [])];
      return `${f} (${parts.join(', ')})`;
    }
    case 'magic':
    case 'key':
    case 'value':
      return bytesText(bytes);
    default:
      return String(readUintLE(b, offset, length));
  }
}

/** Fields of a data file: records until the first that does not decode (a torn tail stays unexplained). */
function dataFields(bytes: Uint8Array): FieldSpan[] {
  const out: FieldSpan[] = [];
  let at = 0;
  for (let record = 0; at < bytes.length; record++) {
    const r = decodeRecord(bytes, at);
    if (r.kind !== 'ok') break;
    for (const f of recordFields(at, r.record.key.length, r.record.value.length)) out.push({ ...f, record });
    at += r.record.size;
  }
  return out;
}

/** Fields of a hint file: header, entries, trailer checksum. */
function hintFileFields(bytes: Uint8Array): FieldSpan[] {
  const groups = hintFields(bytes);
  const out: FieldSpan[] = [];
  groups.forEach((g, i) => {
    for (const f of g) out.push(i === 0 ? { ...f } : { ...f, record: i - 1 });
  });
  if (bytes.length >= 28) out.push({ offset: bytes.length - 4, length: 4, name: 'crc' });
  return out;
}

/** Fields of the MANIFEST: header, one entry per sealed file, trailer checksum. */
function manifestFileFields(bytes: Uint8Array): FieldSpan[] {
  const out: FieldSpan[] = [];
  const groups = manifestFields(bytes);
  groups.forEach((g, i) => {
    const entry = i > 0 && !(g.length === 1 && g[0]!.name === 'crc');
    for (const f of g) out.push(entry ? { ...f, record: i - 1 } : { ...f });
  });
  return out;
}

export const bitcaskAdapter: EngineAdapter = {
  engine: 'bitcask',
  defaultOptions: { maxFileBytes: 512 },

  memory(s: EngineSnapshot): MemoryPicture {
    if (s.engine !== 'bitcask') throw new Error(`bitcask adapter given a ${s.engine} picture`);
    return {
      title: TITLE,
      columns: COLUMNS,
      rows: s.keydir.map((k) => row(k.key, k.file, k.valueOffset, k.valueSize)),
      total: s.keys,
      notes: notes(s.keys, s.active, s.nextSeq, s.merge.merges),
    };
  },

  emptyMemory(): MemoryPicture {
    return { title: TITLE, columns: COLUMNS, rows: [], total: 0, notes: notes(0, undefined, 1, 0) };
  },

  applyEvent(mem: MemoryPicture, event: TraceEvent, after: MemoryPicture | null): MemoryPicture {
    if (!event.type.startsWith('bitcask.')) return mem;
    const e = event as BitcaskEvent;
    switch (e.type) {
      case 'bitcask.keydir': {
        const rows =
          e.action === 'set' && e.file !== undefined
            ? upsert(mem.rows, row(e.key, e.file, e.valueOffset ?? 0, e.valueSize ?? 0))
            : mem.rows.filter((r) => r.id !== e.key);
        const next = { ...mem, rows, total: e.keys };
        return { ...next, notes: setNote(setNote(next.notes, 'keys', String(e.keys)), 'next seq', String(e.seq + 1)) };
      }
      case 'bitcask.rollover':
        return { ...mem, notes: setNote(mem.notes, 'active file', e.to) };
      case 'bitcask.open':
        return { ...mem, notes: setNote(setNote(mem.notes, 'active file', e.active ?? '—'), 'next seq', String(e.nextSeq)) };
      case 'bitcask.merge.commit':
      case 'bitcask.merge.done':
        // Once committed, the merge points the keydir at the copies, many keys at once and
        // without a keydir event each: show the keydir as it is after the merge.
        return after ?? mem;
      default:
        return mem;
    }
  },

  focusKey(event: TraceEvent): string | undefined {
    switch (event.type) {
      case 'bitcask.keydir':
      case 'bitcask.lookup':
      case 'bitcask.append':
      case 'bitcask.merge.copy':
        return event.key;
      case 'op':
        return event.phase === 'begin' ? event.key : undefined;
      default:
        return undefined;
    }
  },

  fileFields(name: string, bytes: Uint8Array): FieldSpan[] {
    const parsed = parseName(name);
    let fields: FieldSpan[];
    if (parsed?.kind === 'data') fields = dataFields(bytes);
    else if (parsed?.kind === 'hint') fields = hintFileFields(bytes);
    else if (name === MANIFEST_NAME || name === MANIFEST_TMP) fields = manifestFileFields(bytes);
    else fields = [];
    return fields.map((f) => ({ ...f, text: fieldText(f.name, bytes, f.offset, f.length) }));
  },

  fileRole(name: string): string {
    const p = parseName(name);
    if (p?.kind === 'data') return 'data (log)';
    if (p?.kind === 'hint') return 'hint';
    if (name === MANIFEST_NAME) return 'manifest: the sealed files and their sizes';
    if (name === MANIFEST_TMP) return 'manifest being written';
    if (/merge/i.test(name)) return 'merge marker';
    return 'other';
  },

  liveRecords(name: string, fields: FieldSpan[], mem: MemoryPicture | null): Set<number> | undefined {
    if (parseName(name)?.kind !== 'data') return undefined;
    const live = new Set<number>();
    if (!mem) return undefined;
    // A record is live when some keydir entry points at its value.
    const pointed = new Set<number>();
    for (const r of mem.rows) if (r.target?.file === name) pointed.add(r.target.offset);
    const tomb = new Set<number>();
    for (const f of fields) if (f.name === 'flags' && f.text?.includes('tombstone')) tomb.add(f.record ?? -1);
    for (const f of fields) if (f.name === 'value' && f.record !== undefined && !tomb.has(f.record) && pointed.has(f.offset)) live.add(f.record);
    return live;
  },

  describe(event: TraceEvent): string | undefined {
    if (!event.type.startsWith('bitcask.')) return undefined;
    const e = event as BitcaskEvent;
    switch (e.type) {
      case 'bitcask.append':
        return e.kind === 'put'
          ? `append record #${e.seq} (${e.key} = ${e.value ?? ''}) to ${e.file} @${e.offset}, ${e.bytes} B`
          : `append tombstone #${e.seq} for ${e.key} to ${e.file} @${e.offset}, ${e.bytes} B`;
      case 'bitcask.batch':
        return `append a batch of ${e.ops} records (#${e.firstSeq}…) to ${e.file} @${e.offset} in one write, ${e.bytes} B`;
      case 'bitcask.keydir':
        return e.action === 'set'
          ? `keydir[${e.key}] → ${e.file} @${e.valueOffset}, ${e.valueSize} B${e.dead ? ` (old record: ${e.dead} B now dead)` : ''}`
          : `keydir: remove ${e.key}${e.dead ? ` (${e.dead} B now dead)` : ''}`;
      case 'bitcask.lookup':
        return e.found ? `keydir says ${e.key} is in ${e.file} @${e.offset}: one read of ${e.bytes} B` : `keydir has no ${e.key}: no disk read at all`;
      case 'bitcask.rollover':
        return `rollover: ${e.from ?? '(none)'} is full at ${e.size} B and sealed; new active file ${e.to}`;
      case 'bitcask.merge.start':
        return `merge (${e.reason}) of ${e.inputs.join(', ')}: ${e.deadBytes} of ${e.totalBytes} B are dead, ${e.liveKeys} live keys`;
      case 'bitcask.merge.copy':
        return `copy live ${e.key}: ${e.from} @${e.fromOffset} → ${e.to} @${e.toOffset}`;
      case 'bitcask.merge.output':
        return `merge output ${e.file} done: ${e.records} records, ${e.bytes} B, synced`;
      case 'bitcask.hint.write':
        return `hint file ${e.file}: ${e.entries} entries, ${e.bytes} B, synced`;
      case 'bitcask.merge.commit':
        return `MERGE marker says committed: ${e.outputs.join(', ')} now count`;
      case 'bitcask.merge.remove':
        return `remove merged input ${e.file}`;
      case 'bitcask.merge.done':
        return `merge done: ${e.bytesBefore} B → ${e.bytesAfter} B, ${e.removed} files removed`;
      case 'bitcask.merge.abort':
        return `merge aborted: ${e.error}`;
      case 'bitcask.recover.clean':
        return `recovery: removed ${e.file}, left by a crash`;
      case 'bitcask.recover.merge':
        return `recovery: ${e.action === 'finish' ? 'finished' : 'undid'} an interrupted merge, removed ${e.removed.join(', ') || 'nothing'}`;
      case 'bitcask.recover.hint':
        return `recovery: loaded ${e.entries} keydir entries from hint ${e.file} (data file not read)`;
      case 'bitcask.recover.badhint':
        return `recovery: hint ${e.file} not trusted (${e.reason}); scanning the data file`;
      case 'bitcask.recover.scan':
        return `recovery: scanned ${e.file}: ${e.records} records, ${e.bytes} B`;
      case 'bitcask.recover.truncate':
        return `recovery: cut ${e.dropped} B off ${e.file} at ${e.offset} (${e.reason})`;
      case 'bitcask.manifest':
        return `MANIFEST replaced (${e.reason}): ${e.sealed} sealed file${e.sealed === 1 ? '' : 's'}${e.active ? `, active ${e.active}` : ''}, ${e.bytes} B`;
      case 'bitcask.open':
        return `open done: ${e.files} files, ${e.keys} keys, next seq ${e.nextSeq}${e.active ? `, active ${e.active}` : ''}`;
      default:
        return undefined;
    }
  },

  scenarios: [
    {
      name: 'fill',
      title: 'Fill 30 keys',
      about: 'Every put appends one record to the log and points the keydir at it.',
      commands: ['fill 30', 'sync'],
    },
    {
      name: 'overwrite',
      title: 'Overwrite one key 10 times',
      about: 'Each overwrite appends a new record; the old ones stay on disk, dead.',
      commands: ['put counter 0', ...Array.from({ length: 10 }, (_, i) => `put counter ${i + 1}`), 'sync'],
    },
    {
      name: 'get',
      title: 'One read per get',
      about: 'A get looks the key up in memory, then reads exactly one record from disk.',
      commands: ['fill 8', 'sync', 'get key005', 'get nothing'],
    },
    {
      name: 'rollover',
      title: 'Roll over to a new file',
      about: 'When the active file would pass maxFileBytes, it is sealed and a new one begins.',
      commands: ['fill 24', 'sync'],
    },
    {
      name: 'merge',
      title: 'Merge and hint files',
      about: 'Overwrites and deletes leave dead records; compact copies only live ones and writes hint files.',
      commands: ['fill 16', ...Array.from({ length: 6 }, (_, i) => `put key00${(i % 3) + 1} again${i}`), 'delete key010', 'delete key011', 'sync', 'compact', 'reopen'],
    },
    {
      name: 'torn',
      title: 'Crash with a torn tail',
      about: 'Unsynced appends land except the last, which lands half-written: recovery cuts it off.',
      commands: ['put apple red', 'put pear green', 'sync', 'put plum purple', 'put fig brown', 'crash torn', 'reopen', 'scan'],
    },
  ],
};
