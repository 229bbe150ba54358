/**
 * errors.ts: the one error class every engine throws.
 *
 * Every failure a caller can see is a KVError with a stable `code`. Codes never change
 * meaning; messages are written for a learner and may be reworded. Corruption errors name
 * the file and the byte offset where the problem was found.
 */

/** The stable error codes. */
export type KVErrorCode =
  | 'KV_BAD_KEY' // key is not a string or Uint8Array (the empty key is allowed)
  | 'KV_BAD_VALUE' // value is not a string or Uint8Array
  | 'KV_TOO_LARGE' // key or value over the engine's documented limit
  | 'KV_BAD_RANGE' // a scan range with the wrong types or conflicting bounds
  | 'KV_BAD_OPTION' // an option with a wrong type or out-of-range value
  | 'KV_BAD_BATCH' // a batch that is not an array of well-formed ops
  | 'KV_CLOSED' // an operation on a closed store
  | 'KV_LOCKED' // the directory is already open in this or another process
  | 'KV_CORRUPT' // on-disk bytes fail a checksum or a structural check
  | 'KV_IO' // the file system failed (EIO, ENOSPC, ...), or the store is failed after one
  | 'KV_UNKNOWN_ENGINE' // openStore() was given a name not in ENGINES nor registered
  | 'KV_NOT_WRITTEN'; // a learner's engine (yours/) reached a method its author has not written yet

/** Extra facts attached to an error; `file` and `offset` are set for KV_CORRUPT. */
export interface KVErrorDetails {
  file?: string;
  offset?: number;
  errno?: string; // for KV_IO: the underlying code, e.g. 'EIO' or 'ENOSPC'
  cause?: unknown;
}

/** An error from the workbench's engines, with a stable code. */
export class KVError extends Error {
  readonly code: KVErrorCode;
  readonly file?: string;
  readonly offset?: number;
  readonly errno?: string;

  constructor(code: KVErrorCode, message: string, details: KVErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'KVError';
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
    if (details.offset !== undefined) this.offset = details.offset;
    if (details.errno !== undefined) this.errno = details.errno;
  }
}

/** Builds a KV_CORRUPT error whose message names the file and offset. */
export function corrupt(file: string, offset: number, what: string): KVError {
  return new KVError('KV_CORRUPT', `${file} is corrupt at byte offset ${offset}: ${what}`, { file, offset });
}

/** True when `e` is a KVError with the given code. */
export function isKVError(e: unknown, code?: KVErrorCode): e is KVError {
  return e instanceof KVError && (code === undefined || e.code === code);
}

/** Builds a KV_IO error carrying the file system's errno. */
export function ioError(errno: string, message: string, cause?: unknown): KVError {
  return new KVError('KV_IO', message, { errno, cause });
}
