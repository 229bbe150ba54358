/**
 * names.ts: the names of the lsm engine's files (the byte table of each is in format.ts):
 *   NNNNNN.log        write-ahead log
 *   NNNNNN.sst        SSTable
 *   MANIFEST-NNNNNN   manifest
 *   CURRENT           the name of the live manifest and a newline
 *   CURRENT.tmp       CURRENT being written
 * NNNNNN is a 6-digit file number from one counter, so no two files share a number.
 */

export const CURRENT = 'CURRENT';
export const CURRENT_TMP = 'CURRENT.tmp';
export const MANIFEST_PREFIX = 'MANIFEST-';

/** A file number as six digits. */
function pad(n: number): string {
  return String(n).padStart(6, '0');
}

export const logName = (n: number): string => `${pad(n)}.log`;
export const tableName = (n: number): string => `${pad(n)}.sst`;
export const manifestName = (n: number): string => `${MANIFEST_PREFIX}${pad(n)}`;

/** What a directory entry is, by its name, and its file number. */
export type FileKind = 'log' | 'table' | 'manifest' | 'current' | 'temp';

/** The kind and number of a file of the store by its name, or undefined for any other name. */
export function parseName(name: string): { kind: FileKind; number: number } | undefined {
  let m = /^(\d+)\.log$/.exec(name);
  if (m) return { kind: 'log', number: Number(m[1]) };
  m = /^(\d+)\.sst$/.exec(name);
  if (m) return { kind: 'table', number: Number(m[1]) };
  m = /^MANIFEST-(\d+)$/.exec(name);
  if (m) return { kind: 'manifest', number: Number(m[1]) };
  if (name === CURRENT) return { kind: 'current', number: 0 };
  if (name === CURRENT_TMP) return { kind: 'temp', number: 0 };
  return undefined;
}
