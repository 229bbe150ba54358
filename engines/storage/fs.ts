/**
 * fs.ts: the FileSystem interface; every byte an engine reads or writes goes through it
 * (the role of LevelDB's Env and SQLite's VFS).
 *
 * Paths are strings joined with '/' (see path.ts); no backend-specific path types leak out.
 * Calls are synchronous. Failures throw KVError with code KV_IO and the errno (EIO, ENOSPC,
 * ENOENT...) in `errno`.
 *
 * Durability contract, which both backends keep and the memory backend can break on purpose:
 *   - a file's bytes are durable after FileHandle.sync() returns;
 *   - a directory entry (a create, rename or remove) is durable after syncDir(dir) returns.
 * Engines therefore call syncDir after creating, renaming or removing a file whose presence
 * matters for recovery. (The Node backend also syncs the directory itself after those calls.)
 */

/** An open file. */
export interface FileHandle {
  readonly path: string;
  /** Reads up to `length` bytes at `offset`; fewer only at end of file. */
  read(offset: number, length: number): Uint8Array;
  /** Writes `data` at `offset`, growing the file (with zeros) if needed. */
  write(offset: number, data: Uint8Array): void;
  /** Writes `data` at the end of the file and returns the offset it was written at. */
  append(data: Uint8Array): number;
  /** The current size in bytes (durable or not). */
  size(): number;
  /** Cuts or zero-extends the file to `size` bytes. */
  truncate(size: number): void;
  /** Makes every write to this file durable (fsync). */
  sync(): void;
  /** Releases the handle; a second close is a no-op. */
  close(): void;
}

/** How to open a file. */
export interface OpenOptions {
  /** Create the file if it does not exist (default false: a missing file throws ENOENT). */
  create?: boolean;
  /** Cut the file to zero bytes on open (default false). */
  truncate?: boolean;
}

/** A held directory lock; release() gives it up. */
export interface DirLock {
  release(): void;
}

/** The file-system operations the engines use. */
export interface FileSystem {
  /** A name for traces and errors: 'node' or 'memory'. */
  readonly kind: string;
  open(path: string, options?: OpenOptions): FileHandle;
  /** The names (not paths) of the entries in `dir`, sorted. */
  list(dir: string): string[];
  exists(path: string): boolean;
  /** Creates `dir` and its missing parents; an existing directory is fine. */
  mkdir(dir: string): void;
  /** Renames `from` to `to`, atomically replacing `to` if it exists. */
  rename(from: string, to: string): void;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): void;
  /** Makes the directory's entries (creates, renames, removes) durable. */
  syncDir(dir: string): void;
  /** The size of a file without opening it. */
  fileSize(path: string): number;
  /**
   * Takes the lock on `dir`, or throws KVError KV_LOCKED if another open store (in this
   * process or another live one) holds it. A lock left by a dead process is taken over.
   */
  lock(dir: string): DirLock;
}

/** Reads a whole file. */
export function readWhole(fs: FileSystem, path: string): Uint8Array {
  const f = fs.open(path);
  try {
    return f.read(0, f.size());
  } finally {
    f.close();
  }
}
