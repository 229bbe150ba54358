/**
 * sizes-fs.ts: a FileSystem wrapper that counts read calls, so `npm run sizes` can say how
 * many times an engine went to a file per get (stats() counts bytes read, not calls).
 * Everything else passes straight through to the wrapped file system.
 */
import type { DirLock, FileHandle, FileSystem, OpenOptions } from '../engines/storage/fs.js';

/** Counts `read` calls on every handle it opens; `reads` is the running total. */
export class ReadCountingFileSystem implements FileSystem {
  readonly kind: string;
  /** Read calls on files opened through this wrapper, since it was made. */
  reads = 0;

  constructor(private readonly inner: FileSystem) {
    this.kind = inner.kind;
  }

  /** Opens a file, wrapping its handle so each read is counted. */
  open(path: string, options?: OpenOptions): FileHandle {
    const h = this.inner.open(path, options);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the handle below counts into this file system
    const counter = this;
    return {
      path: h.path,
      read(offset: number, length: number): Uint8Array {
        counter.reads++;
        return h.read(offset, length);
      },
      write: (offset, data) => h.write(offset, data),
      append: (data) => h.append(data),
      size: () => h.size(),
      truncate: (size) => h.truncate(size),
      sync: () => h.sync(),
      close: () => h.close(),
    };
  }

  list(dir: string): string[] {
    return this.inner.list(dir);
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  mkdir(dir: string): void {
    this.inner.mkdir(dir);
  }
  rename(from: string, to: string): void {
    this.inner.rename(from, to);
  }
  remove(path: string): void {
    this.inner.remove(path);
  }
  syncDir(dir: string): void {
    this.inner.syncDir(dir);
  }
  fileSize(path: string): number {
    return this.inner.fileSize(path);
  }
  lock(dir: string): DirLock {
    return this.inner.lock(dir);
  }
}
