/**
 * fields.ts: snapshot.db split into its fields by the engine's own describer
 * (describeSnapshot, engines/snapshot/format.ts), and what the engine calls each file.
 */
import { LIVE_FILE, TEMP_FILE } from '../../../../engines/snapshot/format.js';
import type { FieldSpan } from '../../adapter.js';
import { engineFields } from '../../fields.js';

/** The fields of a snapshot file (the live one or a save's temporary one). */
export function snapshotFileFields(name: string, bytes: Uint8Array): FieldSpan[] {
  return engineFields('snapshot', name, bytes);
}

/** What the engine calls a file. */
export function snapshotFileRole(name: string): string {
  return name === LIVE_FILE ? 'snapshot' : name === TEMP_FILE ? 'temporary (a save in progress)' : 'other';
}
