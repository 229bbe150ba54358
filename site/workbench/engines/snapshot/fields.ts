/**
 * fields.ts: snapshot.db split into its fields with the engine's own describer
 * (format.ts's snapshotFields), each with its value as text for the hex legend.
 */
import { LIVE_FILE, TEMP_FILE, snapshotFields } from '../../../../engines/snapshot/format.js';
import { decodeVarint } from '../../../../engines/codec/varint.js';
import { bytesText, readUintLE, type FieldSpan } from '../../adapter.js';

/** The text of one snapshot field for the legend. */
function fieldText(name: string, b: Uint8Array, offset: number, length: number): string {
  const bytes = b.subarray(offset, offset + length);
  switch (name) {
    case 'magic':
    case 'key':
    case 'value':
      return bytesText(bytes);
    case 'keyLength':
    case 'valueLength':
      return String(decodeVarint(b, offset, offset + length)?.value ?? '?');
    case 'crc':
      return '0x' + readUintLE(b, offset, 4).toString(16).padStart(8, '0');
    default:
      return String(readUintLE(b, offset, length));
  }
}

/** The fields of a snapshot file (the live one or a save's temporary one). */
export function snapshotFileFields(name: string, bytes: Uint8Array): FieldSpan[] {
  if (name !== LIVE_FILE && name !== TEMP_FILE) return [];
  return snapshotFields(bytes).map((f) => ({ ...f, text: fieldText(f.name, bytes, f.offset, f.length) }));
}

/** What the engine calls a file. */
export function snapshotFileRole(name: string): string {
  return name === LIVE_FILE ? 'snapshot' : name === TEMP_FILE ? 'temporary (a save in progress)' : 'other';
}
