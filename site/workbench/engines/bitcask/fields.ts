/**
 * fields.ts: Bitcask's files (data, hint, MANIFEST) split into fields by the engine's own
 * describers (record-format.ts, hint-format.ts, manifest-format.ts), and what each file is.
 */
import { MANIFEST_NAME, MANIFEST_TMP, parseName } from '../../../../engines/bitcask/format.js';
import type { FieldSpan } from '../../adapter.js';
import { engineFields } from '../../fields.js';

/** The fields of one of the store's files. */
export function bitcaskFileFields(name: string, bytes: Uint8Array): FieldSpan[] {
  return engineFields('bitcask', name, bytes);
}

/** What the engine calls a file. */
export function bitcaskFileRole(name: string): string {
  const p = parseName(name);
  if (p?.kind === 'data') return 'data (log)';
  if (p?.kind === 'hint') return 'hint';
  if (name === MANIFEST_NAME) return 'manifest: the sealed files and their sizes';
  if (name === MANIFEST_TMP) return 'manifest being written';
  if (/merge/i.test(name)) return 'merge marker';
  return 'other';
}
