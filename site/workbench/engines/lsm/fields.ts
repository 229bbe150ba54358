/**
 * fields.ts: the LSM's files (logs, SSTables, manifests, CURRENT) split into fields by the
 * engine's own describers (log-layout.ts, table-layout.ts, layout.ts), and what each file is.
 */
import { CURRENT, parseName } from '../../../../engines/lsm/format.js';
import type { FieldSpan } from '../../adapter.js';
import { engineFields } from '../../fields.js';

/** The fields of one of the store's files. */
export function lsmFileFields(name: string, bytes: Uint8Array): FieldSpan[] {
  return engineFields('lsm', name, bytes);
}

/** What the engine calls a file. */
export function lsmFileRole(name: string): string {
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
}
