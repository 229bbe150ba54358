/**
 * shutdown.ts: the shutdown flag, one byte of btree.db (byte 88 of meta page 0), which
 * tells a crash's leftovers from damage (the role of the "in production / shut down" state
 * in PostgreSQL's control file).
 *
 * A crash can leave btree.db with a torn meta page (the commit point a crash interrupted),
 * garbage on free pages (pages an unfinished transaction wrote, or began to), and pages past
 * the page count. None of that is reachable, so recovery may ignore it; but after a clean
 * close the same bytes can only be damage, and a bit flip in a free page or in the older
 * meta page would then go unnoticed. So the engine records, durably and BEFORE the first
 * write of a session, that the file may now hold such leftovers:
 *
 *   - the flag is 'C' (clean) or 'D' (dirty); anything else is KV_CORRUPT. The two differ
 *     in three bits, so no single flipped bit turns one into the other. It sits outside the
 *     meta page's checksum and a commit writes only the checksummed META_SIZE bytes, so the
 *     flag and the meta page are written independently (a write of one byte never disturbs
 *     the rest of its sector: SQLite's "powersafe overwrite" assumption);
 *   - a new file is created clean (it is synced whole before it gets its name);
 *   - the first write of a session (the pager's beforeWrite hook) first writes 'D' and
 *     fsyncs it: the flag is on disk before any write it covers can be;
 *   - a clean close commits (both fsyncs), then writes 'C' without an fsync: if that write
 *     is lost in a crash, the next open only recovers when it need not, which is safe;
 *   - open with the flag dirty recovers (recovery.ts): falls back past a torn meta page, cuts
 *     the file to its page count, rewrites free pages that fail their checksum, commits, and
 *     keeps the flag dirty until the next clean close;
 *   - open with the flag clean holds the file to the clean-close invariants: both meta pages
 *     valid, their unused bytes zero, the file exactly `pageCount` pages, and (checked by
 *     checkBtreeDir) every free page with a valid checksum.
 *
 * Invariant: if the flag says 'C' on disk, btree.db is as the last clean close (or the
 * create) left it, synced.
 */
import { corrupt } from '../errors.js';
import type { FileHandle } from '../storage/fs.js';
import { STATE_CLEAN, STATE_DIRTY, STATE_OFFSET } from './format.js';

/** What the flag byte `b` says; KV_CORRUPT (naming `file`) for anything but 'C' or 'D'. */
export function decodeState(b: number | undefined, file: string): 'clean' | 'dirty' {
  if (b === STATE_CLEAN) return 'clean';
  if (b === STATE_DIRTY) return 'dirty';
  throw corrupt(
    file,
    STATE_OFFSET,
    `the shutdown flag holds ${b === undefined ? 'nothing' : `byte ${b}`}, neither 'C' (clean) nor 'D' (dirty)`,
  );
}

/** What the flag of the file read through `read` says; KV_CORRUPT for anything but 'C' or 'D'. */
export function readState(read: (offset: number, length: number) => Uint8Array, file: string): 'clean' | 'dirty' {
  return decodeState(read(STATE_OFFSET, 1)[0], file);
}

/** The shutdown flag of one open data file. */
export class ShutdownFlag {
  /** True while the flag says dirty because of this session (or was found dirty at open). */
  held = false;

  /** The flag in `file` (btree.db). */
  constructor(private readonly file: FileHandle) {}

  /** Reads the flag. */
  read(): 'clean' | 'dirty' {
    return readState((at, n) => this.file.read(at, n), this.file.path);
  }

  /** Before the session's first write: makes 'dirty' durable, unless it is already. */
  ensure(): void {
    if (this.held) return;
    this.file.write(STATE_OFFSET, Uint8Array.of(STATE_DIRTY));
    // The flag must be on disk before the writes it covers: a lost 'D' after a 'C' would
    // let a crash's leftovers pass for damage.
    this.file.sync();
    this.held = true;
  }

  /** At a clean close, after everything is synced: 'clean', not synced (a lost 'C' is safe). */
  clear(): void {
    if (!this.held) return;
    this.file.write(STATE_OFFSET, Uint8Array.of(STATE_CLEAN));
    this.held = false;
  }
}
