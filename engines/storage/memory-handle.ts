/**
 * memory-handle.ts: an open file of the memory file system. Every call checks that the handle
 * is still open and from before no power loss, asks the file system whether a fault hits it,
 * then changes the inode through the file system, which keeps the pending writes in order.
 *
 * No node: import here; this file runs in the browser.
 */
import { KVError, ioError } from '../errors.js';
import type { FileHandle } from './fs.js';
import type { Inode } from './disk-model.js';
import { CRASH } from './faults.js';
import type { MemoryFileSystem } from './memory.js';

/** An open memory file. */
export class MemoryHandle implements FileHandle {
  private closed = false;
  constructor(
    private readonly fs: MemoryFileSystem,
    readonly path: string,
    private readonly inode: Inode,
    private readonly epoch: number,
  ) {}

  /** Reads up to `length` bytes at `offset`. */
  read(offset: number, length: number): Uint8Array {
    this.live();
    this.fs.check('read', this.path);
    const b = this.inode.current;
    const end = Math.min(b.size, offset + length);
    return offset >= end ? new Uint8Array(0) : b.buf.slice(offset, end);
  }

  /** Writes at `offset`. */
  write(offset: number, data: Uint8Array): void {
    this.live();
    this.fs.check('write', this.path);
    this.fs.writeInode(this.inode, offset, data);
  }

  /** Appends at the end; returns where. */
  append(data: Uint8Array): number {
    this.live();
    this.fs.check('append', this.path);
    const at = this.inode.current.size;
    this.fs.writeInode(this.inode, at, data);
    return at;
  }

  /** Current size. */
  size(): number {
    this.live();
    return this.inode.current.size;
  }

  /** Cuts or extends. */
  truncate(size: number): void {
    this.live();
    this.fs.check('truncate', this.path);
    this.fs.truncateInode(this.inode, size);
  }

  /** Makes this file's writes durable; on an injected failure, they never will be. */
  sync(): void {
    this.live();
    try {
      this.fs.check('sync', this.path);
    } catch (e) {
      // A disk's fsync error loses the unsynced writes; a crash at this call leaves them pending.
      if (!(e instanceof KVError && e.errno === CRASH)) this.fs.syncInode(this.inode, false);
      throw e;
    }
    if (this.fs.syncAllowed()) this.fs.syncInode(this.inode, true);
  }

  /** Releases the handle. */
  close(): void {
    this.closed = true;
  }

  /** Throws if the handle is closed or from before a power loss. */
  private live(): void {
    if (this.closed) throw ioError('EBADF', `${this.path}: handle is closed`);
    this.fs.checkEpoch(this.epoch, this.path);
  }
}
