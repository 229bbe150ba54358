/**
 * errors.ts: KVError codes as the Level ecosystem's error codes.
 *
 * abstract-level and every store built on it report failures with a `code` that starts with
 * `LEVEL_` (see abstract-level's README, "Errors"). The adapter turns each KVError an engine
 * throws into a LevelError with the matching code and keeps the KVError as its `cause`, so
 * nothing is lost: `err.cause.code` is still the engine's code, and for KV_CORRUPT
 * `err.cause.file` and `err.cause.offset` still say where.
 *
 *   KVError code        LEVEL code              why
 *   KV_BAD_KEY          LEVEL_INVALID_KEY       a key that is not bytes or a string
 *   KV_TOO_LARGE        LEVEL_INVALID_KEY or    a key over `limits.maxKeyBytes`, or a value over
 *                       LEVEL_INVALID_VALUE     `limits.maxValueBytes` (the adapter says which)
 *   KV_BAD_VALUE        LEVEL_INVALID_VALUE     a value that is not bytes or a string
 *   KV_BAD_RANGE        LEVEL_INVALID_KEY       a range bound is a key
 *   KV_CLOSED           LEVEL_DATABASE_NOT_OPEN the store under the adapter was closed
 *   KV_LOCKED           LEVEL_LOCKED            another store holds the directory
 *   KV_CORRUPT          LEVEL_CORRUPTION        bytes on disk fail a checksum or a check
 *   KV_IO               LEVEL_IO_ERROR          the file system failed, or did before
 *
 * KV_BAD_OPTION, KV_BAD_BATCH and KV_UNKNOWN_ENGINE have no Level counterpart and pass through
 * as the KVError itself (abstract-level checks batches before the adapter sees them, so
 * KV_BAD_BATCH cannot happen; the other two come from the options given at construction and
 * surface through open(), whose LEVEL_DATABASE_NOT_OPEN error carries them as `cause`).
 */
import { KVError, type KVErrorCode } from '../errors.js';

/** The Level error codes the adapter produces. */
export type LevelErrorCode =
  | 'LEVEL_INVALID_KEY'
  | 'LEVEL_INVALID_VALUE'
  | 'LEVEL_DATABASE_NOT_OPEN'
  | 'LEVEL_ITERATOR_NOT_OPEN'
  | 'LEVEL_LOCKED'
  | 'LEVEL_CORRUPTION'
  | 'LEVEL_IO_ERROR';

/** An error with a Level code, in the shape of abstract-level's ModuleError (message, code, cause). */
export class LevelError extends Error {
  readonly code: LevelErrorCode;

  /** Builds an error with a Level `code`, keeping what caused it. */
  constructor(message: string, code: LevelErrorCode, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'LevelError';
    this.code = code;
  }
}

/** Each KVError code's Level code; codes absent here pass through unchanged. */
const LEVEL_CODES: Partial<Record<KVErrorCode, LevelErrorCode>> = {
  KV_BAD_KEY: 'LEVEL_INVALID_KEY',
  KV_BAD_VALUE: 'LEVEL_INVALID_VALUE',
  KV_BAD_RANGE: 'LEVEL_INVALID_KEY',
  KV_CLOSED: 'LEVEL_DATABASE_NOT_OPEN',
  KV_LOCKED: 'LEVEL_LOCKED',
  KV_CORRUPT: 'LEVEL_CORRUPTION',
  KV_IO: 'LEVEL_IO_ERROR',
};

/** The Level code for a KVError code, or undefined when there is none (see the table above). */
export function levelCodeOf(code: KVErrorCode, tooLarge: 'key' | 'value' = 'key'): LevelErrorCode | undefined {
  if (code === 'KV_TOO_LARGE') return tooLarge === 'key' ? 'LEVEL_INVALID_KEY' : 'LEVEL_INVALID_VALUE';
  return LEVEL_CODES[code];
}

/**
 * `e` as the adapter throws it: a KVError with a Level counterpart becomes a LevelError
 * (same message, the KVError as cause); anything else is returned as it is. `tooLarge` says
 * whether a KV_TOO_LARGE was about the key or the value.
 */
export function toLevelError(e: unknown, tooLarge: 'key' | 'value' = 'key'): unknown {
  if (!(e instanceof KVError)) return e;
  const code = levelCodeOf(e.code, tooLarge);
  return code ? new LevelError(e.message, code, e) : e;
}
