/**
 * names.ts: the names of the bitcask engine's files, and what a name says: a data file's or
 * hint file's id, the MANIFEST and its temporary name, an old-format merge marker's state.
 * The bytes inside each file are in record-format.ts, hint-format.ts and manifest-format.ts.
 */

/** The MANIFEST's name, and the temporary name a new one is written under before the rename. */
export const MANIFEST_NAME = 'MANIFEST';
export const MANIFEST_TMP = 'MANIFEST.tmp';

/** A data file's name for its id, e.g. 3 -> "000003.data". */
export function dataName(id: number): string {
  return `${String(id).padStart(6, '0')}.data`;
}

/** A hint file's name for its data file id, e.g. 3 -> "000003.hint". */
export function hintName(id: number): string {
  return `${String(id).padStart(6, '0')}.hint`;
}

/** The id and kind of a data or hint file name, or undefined for any other name. */
export function parseName(name: string): { id: number; kind: 'data' | 'hint' } | undefined {
  const m = /^(\d{6,})\.(data|hint)$/.exec(name);
  if (!m) return undefined;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 && id <= 0xffffffff ? { id, kind: m[2] as 'data' | 'hint' } : undefined;
}

// ---- the merge marker --------------------------------------------------------------------

/** A merge marker's state: outputs being written, or the merge committed. */
export type MergeState = 'started' | 'committed';

/** The marker's name for a state and last input id, e.g. "MERGE-started-000003". */
export function mergeMarkerName(state: MergeState, lastInput: number): string {
  return `MERGE-${state}-${String(lastInput).padStart(6, '0')}`;
}

/** The state and last input id a marker name says, or undefined for any other name. */
export function parseMergeMarker(name: string): { state: MergeState; lastInput: number } | undefined {
  const m = /^MERGE-(started|committed)-(\d{6,})$/.exec(name);
  return m ? { state: m[1] as MergeState, lastInput: Number(m[2]) } : undefined;
}
