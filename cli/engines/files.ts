/**
 * files.ts: helpers the engine CLI modules share: listing a store's files, reading one,
 * turning a KV_CORRUPT error into a Problem, and dumping a file no decoder knows.
 */
import { KVError } from '../../engines/errors.js';
import { readWhole, type FileSystem } from '../../engines/storage/fs.js';
import { join } from '../../engines/storage/path.js';
import { FOREIGN_FILES } from '../../engines/store.js';
import type { DumpFile, Problem } from './types.js';

/** The names of the files in the store's directory, without the lock file, sorted. */
export function storeFiles(fs: FileSystem, dir: string): string[] {
  return fs.list(dir).filter((n) => !FOREIGN_FILES.has(n));
}

/** The bytes of `name` in `dir`. */
export function readFile(fs: FileSystem, dir: string, name: string): Uint8Array {
  return readWhole(fs, join(dir, name));
}

/**
 * The Problem a decoder's error describes. A KV_CORRUPT error carries file and offset;
 * any other error (a decoder that threw something else on bad bytes) is reported at
 * `fallbackOffset` of `file`, since a checker must never crash on a bad file.
 */
export function problemOf(e: unknown, file: string, fallbackOffset = 0): Problem {
  if (e instanceof KVError && e.code === 'KV_CORRUPT') {
    return { file: baseName(e.file ?? file), offset: e.offset ?? fallbackOffset, what: whatOf(e) };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { file: baseName(file), offset: fallbackOffset, what: msg };
}

/** The part of a corrupt() message after "… at byte offset N: ". */
function whatOf(e: KVError): string {
  const m = /is corrupt at byte offset \d+: (.*)$/s.exec(e.message);
  return m ? m[1]! : e.message;
}

/** `n word`, in the plural (`words`, default word + s) when n is not 1. */
export function plural(n: number, word: string, words = word + 's'): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** The last path component. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** A file the engine does not own, listed with its size and left undecoded. */
export function foreignFile(name: string, bytes: Uint8Array): DumpFile {
  return {
    name,
    size: bytes.length,
    role: 'not part of this store',
    items: bytes.length
      ? [{ offset: 0, length: bytes.length, kind: 'bytes', summary: `${bytes.length} bytes the engine does not read` }]
      : [],
    notes: ['this engine does not use a file of this name; it is left alone'],
    bytes,
  };
}

/** Runs `f`; a thrown error becomes a Problem in `file` at `offset`. */
export function attempt<T>(
  file: string,
  offset: number,
  f: () => T,
): { ok: true; value: T } | { ok: false; problem: Problem } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, problem: problemOf(e, file, offset) };
  }
}
