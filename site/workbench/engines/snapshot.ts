/**
 * snapshot.ts: the workbench adapter for the snapshot engine (engines/snapshot/).
 *
 * Memory: the dict, key -> value, in key order. Disk: snapshot.db (and the temporary
 * snapshot.db.tmp while a save runs), split with format.ts's snapshotFields().
 */
import type { EngineSnapshot, TraceEvent } from '../../../engines/registry-types.js';
import type { SnapshotEvent } from '../../../engines/snapshot/events.js';
import { LIVE_FILE, TEMP_FILE, snapshotFields } from '../../../engines/snapshot/format.js';
import { decodeVarint } from '../../../engines/codec/varint.js';
import { bytesText, readUintLE, type EngineAdapter, type FieldSpan, type MemoryPicture, type MemoryRow } from '../adapter.js';

const COLUMNS = ['key', 'value'];

/** Decodes the text of one snapshot field for the legend. */
function fieldText(name: string, b: Uint8Array, offset: number, length: number): string {
  const bytes = b.subarray(offset, offset + length);
  switch (name) {
    case 'magic':
      return bytesText(bytes);
    case 'keyLength':
    case 'valueLength':
      return String(decodeVarint(b, offset, offset + length)?.value ?? '?');
    case 'crc':
      return '0x' + readUintLE(b, offset, 4).toString(16).padStart(8, '0');
    case 'key':
    case 'value':
      return bytesText(bytes);
    default:
      return String(readUintLE(b, offset, length));
  }
}

/** The numbers under the dict. */
function notes(keys: number, unsaved: number, saves: number): [string, string][] {
  return [
    ['keys', String(keys)],
    ['unsaved writes', String(unsaved)],
    ['saves', String(saves)],
  ];
}

/** Reads a note back as a number. */
function note(mem: MemoryPicture, name: string): number {
  return Number(mem.notes.find(([n]) => n === name)?.[1] ?? 0);
}

/** Inserts or replaces a row, keeping rows sorted by key. */
function upsert(rows: MemoryRow[], row: MemoryRow): MemoryRow[] {
  const out = rows.filter((r) => r.id !== row.id);
  let i = 0;
  while (i < out.length && out[i]!.id < row.id) i++;
  out.splice(i, 0, row);
  return out;
}

export const snapshotAdapter: EngineAdapter = {
  engine: 'snapshot',
  defaultOptions: {},

  memory(s: EngineSnapshot): MemoryPicture {
    if (s.engine !== 'snapshot') throw new Error(`snapshot adapter given a ${s.engine} picture`);
    return {
      title: 'dict (in memory)',
      columns: COLUMNS,
      rows: s.dict.map((e) => ({ id: e.key, cells: [e.value] })),
      total: s.keys,
      notes: notes(s.keys, s.unsaved, s.saves),
    };
  },

  emptyMemory(): MemoryPicture {
    return { title: 'dict (in memory)', columns: COLUMNS, rows: [], total: 0, notes: notes(0, 0, 0) };
  },

  applyEvent(mem: MemoryPicture, event: TraceEvent, after: MemoryPicture | null): MemoryPicture {
    if (!event.type.startsWith('snapshot.')) return mem;
    const e = event as SnapshotEvent;
    switch (e.type) {
      case 'snapshot.set': {
        const rows = upsert(mem.rows, { id: e.key, cells: [e.value] });
        return { ...mem, rows, total: e.keys, notes: notes(e.keys, e.unsaved, note(mem, 'saves')) };
      }
      case 'snapshot.delete':
        return { ...mem, rows: mem.rows.filter((r) => r.id !== e.key), total: e.keys, notes: notes(e.keys, e.unsaved, note(mem, 'saves')) };
      case 'snapshot.load':
        // The whole file became the dict in one go: the end-of-command picture is what it loaded.
        return after ? { ...after, notes: notes(e.keys, 0, note(after, 'saves')) } : mem;
      case 'snapshot.save':
        return e.step === 'done' ? { ...mem, notes: notes(mem.total, 0, note(mem, 'saves') + 1) } : mem;
      default:
        return mem;
    }
  },

  focusKey(event: TraceEvent): string | undefined {
    if (event.type === 'snapshot.set' || event.type === 'snapshot.delete') return event.key;
    if (event.type === 'op' && event.phase === 'begin') return event.key;
    return undefined;
  },

  fileFields(name: string, bytes: Uint8Array): FieldSpan[] {
    if (name !== LIVE_FILE && name !== TEMP_FILE) return [];
    return snapshotFields(bytes).map((f) => ({ ...f, text: fieldText(f.name, bytes, f.offset, f.length) }));
  },

  fileRole(name: string): string {
    return name === LIVE_FILE ? 'snapshot' : name === TEMP_FILE ? 'temporary (a save in progress)' : 'other';
  },

  describe(event: TraceEvent): string | undefined {
    if (!event.type.startsWith('snapshot.')) return undefined;
    const e = event as SnapshotEvent;
    switch (e.type) {
      case 'snapshot.set':
        return `dict[${e.key}] = ${e.value} (memory only; ${e.unsaved} unsaved)`;
      case 'snapshot.delete':
        return `del dict[${e.key}]${e.existed ? '' : ' (was absent)'} (${e.unsaved} unsaved)`;
      case 'snapshot.save':
        return {
          write: `save (${e.reason}) 1/4: wrote all ${e.keys} keys, ${e.bytes} B, to ${e.file}`,
          sync: `save 2/4: fsync ${e.file}: its bytes are durable`,
          rename: `save 3/4: rename over ${e.file} (atomic)`,
          done: `save 4/4: fsync the directory: the rename is durable`,
        }[e.step];
      case 'snapshot.load':
        return `load: read ${e.file}, ${e.bytes} B, ${e.keys} keys into the dict`;
      case 'snapshot.clean':
        return `removed ${e.file}, left by a save a crash interrupted`;
      default:
        return undefined;
    }
  },

  scenarios: [
    {
      name: 'fill',
      title: 'Fill 30 keys',
      about: 'Thirty puts change only memory; one sync writes them all at once.',
      commands: ['fill 30', 'sync'],
    },
    {
      name: 'overwrite',
      title: 'Overwrite one key 10 times',
      about: 'Ten keys, then one key rewritten ten times with a save after each: every save rewrites all eleven keys.',
      commands: ['fill 10', 'sync', ...Array.from({ length: 10 }, (_, i) => `put counter ${i + 1}`).flatMap((c) => [c, 'sync'])],
    },
    {
      name: 'crash-before-sync',
      title: 'Crash before sync',
      about: 'Two keys saved, a third only in memory: the crash loses it and reopen loads the last save.',
      commands: ['put apple red', 'put banana yellow', 'sync', 'put cherry dark-red', 'crash', 'reopen', 'get cherry'],
    },
    {
      name: 'crash-during-save',
      title: 'Crash during a save',
      about: 'The rename fails after the temp file was written; power fails (the temp file\'s name happens to survive): the old snapshot stays whole, and reopen removes the temp file.',
      commands: ['put apple red', 'sync', 'put banana yellow', 'fault rename', 'sync', 'crash dirs', 'reopen', 'scan'],
    },
  ],
};
