/**
 * node.ts: the FileSystem on real files, with real fsync.
 *
 * After a create, a rename or a remove, the parent directory is fsynced too, so a new or
 * renamed file survives a crash once the call returns; syncDir() is then a no-op unless the
 * directory changed since. The directory lock is a file named LOCK holding the owner's pid:
 * a live owner (in this process or another) makes a second open fail with KV_LOCKED, and a
 * lock left by a dead process is taken over.
 */
import * as nfs from 'node:fs';
import * as npath from 'node:path';
import { KVError, ioError } from '../errors.js';
import type { DirLock, FileHandle, FileSystem, OpenOptions } from './fs.js';

/** The name of the lock file every store directory holds while open. */
export const LOCK_FILE = 'LOCK';

/** Directories locked by this process, by absolute path. */
const heldLocks = new Set<string>();

/** Runs a node:fs call, turning its error into KV_IO with the errno. */
function io<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof KVError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw ioError(code, `${what} failed: ${code} (${(e as Error).message})`, e);
  }
}

/** The Node backend. */
export class NodeFileSystem implements FileSystem {
  readonly kind = 'node';
  /** Directories whose entries changed since their last fsync. */
  private dirtyDirs = new Set<string>();

  /** Opens a file, creating it (and syncing its directory) if asked. */
  open(path: string, options: OpenOptions = {}): FileHandle {
    const existed = nfs.existsSync(path);
    let flags = nfs.constants.O_RDWR;
    if (options.create) flags |= nfs.constants.O_CREAT;
    if (options.truncate) flags |= nfs.constants.O_TRUNC;
    const fd = io(`open ${path}`, () => nfs.openSync(path, flags, 0o644));
    if (!existed) this.syncParent(path);
    return new NodeHandle(path, fd);
  }

  /** Names in `dir`, sorted. */
  list(dir: string): string[] {
    return io(`list ${dir}`, () => nfs.readdirSync(dir)).sort();
  }

  /** True when `path` exists. */
  exists(path: string): boolean {
    return nfs.existsSync(path);
  }

  /** Creates `dir` and its parents. */
  mkdir(dir: string): void {
    io(`mkdir ${dir}`, () => nfs.mkdirSync(dir, { recursive: true }));
  }

  /** Renames atomically (POSIX rename), then syncs both directories. */
  rename(from: string, to: string): void {
    io(`rename ${from} to ${to}`, () => nfs.renameSync(from, to));
    this.syncParent(to);
    if (npath.dirname(from) !== npath.dirname(to)) this.syncParent(from);
  }

  /** Removes a file (missing is fine), then syncs its directory. */
  remove(path: string): void {
    io(`remove ${path}`, () => nfs.rmSync(path, { force: true }));
    this.syncParent(path);
  }

  /** Fsyncs a directory, if it changed since its last fsync. */
  syncDir(dir: string): void {
    const d = npath.resolve(dir);
    if (!this.dirtyDirs.has(d)) return;
    this.fsyncDir(d);
  }

  /** Size of a file by path. */
  fileSize(path: string): number {
    return io(`stat ${path}`, () => nfs.statSync(path).size);
  }

  /** Takes the pid lock on `dir`. */
  lock(dir: string): DirLock {
    const abs = npath.resolve(dir);
    if (heldLocks.has(abs))
      throw new KVError('KV_LOCKED', `${dir} is already open in this process; close that store first`);
    const lockPath = npath.join(abs, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      // Try to create the lock file; it exists only while some store holds the directory.
      try {
        const fd = nfs.openSync(lockPath, 'wx', 0o644);
        nfs.writeSync(fd, `${process.pid}\n`);
        nfs.fsyncSync(fd);
        nfs.closeSync(fd);
        heldLocks.add(abs);
        return { release: () => this.unlock(abs, lockPath) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
          throw ioError((e as NodeJS.ErrnoException).code ?? 'EIO', `cannot lock ${dir}: ${(e as Error).message}`, e);
      }
      // The file exists: is its owner alive?
      const owner = readPid(lockPath);
      if (owner !== undefined && owner !== process.pid && processAlive(owner)) {
        throw new KVError('KV_LOCKED', `${dir} is open in another process (pid ${owner}); close it there first`);
      }
      // A dead owner (or one of our own stores that was abandoned without close): take over.
      nfs.rmSync(lockPath, { force: true });
    }
    throw new KVError('KV_LOCKED', `${dir}: could not take the lock (another process keeps taking it)`);
  }

  /** Removes our lock file and forgets the lock. */
  private unlock(abs: string, lockPath: string): void {
    if (!heldLocks.delete(abs)) return;
    if (readPid(lockPath) === process.pid) nfs.rmSync(lockPath, { force: true });
  }

  /** Fsyncs the directory holding `path`. */
  private syncParent(path: string): void {
    this.fsyncDir(npath.dirname(npath.resolve(path)));
  }

  /** Fsyncs a directory and marks it clean. */
  private fsyncDir(d: string): void {
    io(`sync directory ${d}`, () => {
      const fd = nfs.openSync(d, 'r');
      try {
        nfs.fsyncSync(fd);
      } finally {
        nfs.closeSync(fd);
      }
    });
    this.dirtyDirs.delete(d);
  }
}

/** The pid in a lock file, or undefined if unreadable. */
function readPid(lockPath: string): number | undefined {
  try {
    const n = parseInt(nfs.readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** True when a process with this pid exists. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An open real file. */
class NodeHandle implements FileHandle {
  private fd: number | undefined;
  private length: number;

  constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.length = io(`stat ${path}`, () => nfs.fstatSync(fd).size);
  }

  /** Reads up to `length` bytes at `offset`. */
  read(offset: number, length: number): Uint8Array {
    const fd = this.live();
    const n = Math.max(0, Math.min(length, this.length - offset));
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const r = io(`read ${this.path}`, () => nfs.readSync(fd, out, got, n - got, offset + got));
      if (r === 0) break;
      got += r;
    }
    return got === n ? out : out.subarray(0, got);
  }

  /** Writes at `offset`. */
  write(offset: number, data: Uint8Array): void {
    const fd = this.live();
    let done = 0;
    while (done < data.length) {
      done += io(`write ${this.path}`, () => nfs.writeSync(fd, data, done, data.length - done, offset + done));
    }
    if (offset + data.length > this.length) this.length = offset + data.length;
  }

  /** Appends; returns the offset written at. */
  append(data: Uint8Array): number {
    const at = this.length;
    this.write(at, data);
    return at;
  }

  /** Current size. */
  size(): number {
    this.live();
    return this.length;
  }

  /** Cuts or extends. */
  truncate(size: number): void {
    const fd = this.live();
    io(`truncate ${this.path}`, () => nfs.ftruncateSync(fd, size));
    this.length = size;
  }

  /** fsync. */
  sync(): void {
    const fd = this.live();
    io(`sync ${this.path}`, () => nfs.fsyncSync(fd));
  }

  /** Closes the descriptor. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    io(`close ${this.path}`, () => nfs.closeSync(fd));
  }

  /** The descriptor, or KV_IO if closed. */
  private live(): number {
    if (this.fd === undefined) throw ioError('EBADF', `${this.path}: handle is closed`);
    return this.fd;
  }
}
