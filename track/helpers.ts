/**
 * helpers.ts: small tools the step checks share: reading values as text, the files of a
 * store's directory, and expecting a coded error.
 */
import assert from 'node:assert/strict';
import { MemoryFileSystem, isKVError } from '../engines/index.js';
import type { KVStore, Range } from '../engines/index.js';
import type { OpenOptions, Subject } from './subject.js';

export { assert };

/** The directory every check's store lives in. */
export const DIR = '/db';

/** A value as text (undefined stays undefined), for readable assertions. */
export function text(b: Uint8Array | undefined): string | undefined {
  return b === undefined ? undefined : new TextDecoder().decode(b);
}

/** A fresh memory file system and an opener for the subject on it, with `extra` options. */
export function fresh(s: Subject, extra: Partial<OpenOptions> = {}): { fs: MemoryFileSystem; open: () => KVStore } {
  const fs = new MemoryFileSystem();
  return { fs, open: () => s.open({ ...extra, fs, dir: DIR }) };
}

/** The names and sizes of the files in the store's directory (a lock file included, if any). */
export function files(fs: MemoryFileSystem, dir = DIR): { name: string; size: number }[] {
  if (!fs.exists(dir)) return [];
  return fs.list(dir).map((name) => ({ name, size: fs.fileSize(`${dir}/${name}`) }));
}

/** The total size of the files in the store's directory. */
export function diskBytes(fs: MemoryFileSystem, dir = DIR): number {
  return files(fs, dir).reduce((n, f) => n + f.size, 0);
}

/** A scan as `key=value` strings. */
export function scanText(db: KVStore, range?: Range): string[] {
  return [...db.scan(range)].map(([k, v]) => `${text(k)}=${text(v)}`);
}

/** Expects `f` to throw a KVError with `code`; says what it did instead. */
export function throwsCode(f: () => unknown, code: string, what: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  if (isKVError(err, 'KV_NOT_WRITTEN')) throw err;
  assert.ok(err !== undefined, `${what}: expected a KVError ${code}, but nothing was thrown`);
  assert.ok(
    isKVError(err) && err.code === code,
    `${what}: expected a KVError ${code}, got ${(err as Error).name} ${(err as { code?: string }).code ?? ''}: ${(err as Error).message}`,
  );
}

/** A value of `n` bytes of one letter, easy to find in a hex dump. */
export function filler(letter: string, n: number): string {
  return letter.repeat(n);
}

/** Closes a store, ignoring a failure (for stores a check leaves broken on purpose). */
export function closeQuietly(db: KVStore | undefined): void {
  try {
    db?.close();
  } catch {
    // It was failed on purpose.
  }
}
