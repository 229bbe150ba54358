/**
 * faults.ts: the failures the memory file system can inject: an I/O error (EIO, ENOSPC) or a
 * simulated crash at a chosen call, the nth of a kind or one on a matching path.
 */

/** The kinds of call a fault can target. */
export type FsCall =
  | 'open'
  | 'create'
  | 'read'
  | 'write'
  | 'append'
  | 'truncate'
  | 'sync'
  | 'syncDir'
  | 'rename'
  | 'remove'
  | 'list'
  | 'mkdir';

/** The calls that change what is on disk. */
export const MUTATING = new Set<FsCall>([
  'create',
  'write',
  'append',
  'truncate',
  'sync',
  'syncDir',
  'rename',
  'remove',
]);

/** An injected failure. */
export interface Fault {
  /** Which calls it applies to ('any' for all, 'mutate' for those that change the disk). */
  call: FsCall | 'any' | 'mutate';
  /** Only calls on paths containing this string (default: all paths). */
  path?: string;
  /** Let this many matching calls succeed first (default 0). */
  skip?: number;
  /** The errno reported (default 'EIO'). */
  errno?: 'EIO' | 'ENOSPC';
  /** How many matching calls fail (default 1; Infinity for all after). */
  times?: number;
  /**
   * The process dies at this call (a simulated crash) rather than the disk failing it: the
   * error's errno is 'ECRASH', and a sync that "fails" this way leaves the file's writes
   * pending (for a power loss to keep or drop), where an EIO fsync drops them.
   */
  crash?: boolean;
}

/** The errno of a simulated crash (see Fault.crash). */
export const CRASH = 'ECRASH';
