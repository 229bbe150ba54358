/**
 * status.ts: the exit statuses of the `kv` command, so a script can test what happened.
 *
 *   0  OK         the command did what was asked (for `check`: the store is sound)
 *   1  NOT_FOUND  `get` found no such key (as grep exits 1 when nothing matched)
 *   2  USAGE      the command line was wrong: unknown engine or command, missing argument
 *   3  FAILED     the store refused or failed: locked, closed, bad key, I/O error, engine not built
 *   4  UNSOUND    `check` (or an open) found corruption: a bad checksum or a broken invariant
 */
import { KVError } from '../engines/errors.js';

export const EXIT_OK = 0;
export const EXIT_NOT_FOUND = 1;
export const EXIT_USAGE = 2;
export const EXIT_FAILED = 3;
export const EXIT_UNSOUND = 4;

/** An error in what the user typed (not in the store); it exits with EXIT_USAGE. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The exit status for an error a command threw. */
export function statusOf(e: unknown): number {
  if (e instanceof UsageError) return EXIT_USAGE;
  if (e instanceof KVError) return e.code === 'KV_CORRUPT' ? EXIT_UNSOUND : EXIT_FAILED;
  return EXIT_FAILED;
}

/** The one-line message for an error a command threw, with the KV error code when there is one. */
export function messageOf(e: unknown): string {
  if (e instanceof UsageError) return e.message;
  if (e instanceof KVError) return `${e.code}: ${e.message}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
