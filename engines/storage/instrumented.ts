/**
 * instrumented.ts: a FileSystem wrapper that counts every byte and sync, and, when a trace
 * listener is given, emits one `io` event per call. Every engine opens its files through
 * one of these, so stats() and traces see all I/O and engines never log I/O by hand.
 */
import { KVError } from '../errors.js';
import { toHex } from '../bytes.js';
import { HEX_LIMIT, type IoEvent, type IoListener } from '../trace.js';
import type { DirLock, FileHandle, FileSystem, OpenOptions } from './fs.js';

/** The I/O counters kept per store. */
export interface IoCounters {
  bytesRead: number;
  bytesWritten: number;
  reads: number;
  writes: number;
  syncs: number;
}

/** Fresh zeroed counters. */
export function newCounters(): IoCounters {
  return { bytesRead: 0, bytesWritten: 0, reads: 0, writes: 0, syncs: 0 };
}

/** The hex fields of an io event for `data`. */
function hexOf(data: Uint8Array): Pick<IoEvent, 'hex' | 'cut'> {
  return data.length > HEX_LIMIT ? { hex: toHex(data.subarray(0, HEX_LIMIT)), cut: true } : { hex: toHex(data) };
}

/** The error code of a failed call, for the trace. */
function codeOf(e: unknown): string {
  return e instanceof KVError ? (e.errno ?? e.code) : 'ERROR';
}

/** Wraps `inner`, counting into `counters` and tracing to `trace` if given. */
export class InstrumentedFileSystem implements FileSystem {
  readonly kind: string;
  constructor(
    readonly inner: FileSystem,
    readonly counters: IoCounters,
    private readonly trace: IoListener | undefined,
  ) {
    this.kind = inner.kind;
  }

  /** Runs `f`, tracing a failure as an io event with its error code before rethrowing. */
  private guard<T>(event: () => IoEvent, f: () => T): T {
    if (!this.trace) return f();
    try {
      return f();
    } catch (e) {
      this.trace({ ...event(), error: codeOf(e) });
      throw e;
    }
  }

  /** Opens a file; a create is traced. */
  open(path: string, options?: OpenOptions): FileHandle {
    const existed = this.trace && options?.create ? this.inner.exists(path) : true;
    const h = this.inner.open(path, options);
    if (this.trace && !existed) this.trace({ type: 'io', call: 'create', path });
    return new InstrumentedHandle(h, this.counters, this.trace);
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

  /** Renames, traced. */
  rename(from: string, to: string): void {
    this.guard(
      () => ({ type: 'io', call: 'rename', path: from, to }),
      () => this.inner.rename(from, to),
    );
    this.trace?.({ type: 'io', call: 'rename', path: from, to });
  }

  /** Removes, traced. */
  remove(path: string): void {
    this.guard(
      () => ({ type: 'io', call: 'remove', path }),
      () => this.inner.remove(path),
    );
    this.trace?.({ type: 'io', call: 'remove', path });
  }

  /** Syncs a directory, counted and traced. */
  syncDir(dir: string): void {
    this.guard(
      () => ({ type: 'io', call: 'syncDir', path: dir }),
      () => this.inner.syncDir(dir),
    );
    this.counters.syncs++;
    this.trace?.({ type: 'io', call: 'syncDir', path: dir });
  }

  fileSize(path: string): number {
    return this.inner.fileSize(path);
  }

  lock(dir: string): DirLock {
    return this.inner.lock(dir);
  }
}

/** A FileHandle wrapper that counts and traces. */
class InstrumentedHandle implements FileHandle {
  readonly path: string;
  constructor(
    private readonly inner: FileHandle,
    private readonly counters: IoCounters,
    private readonly trace: IoListener | undefined,
  ) {
    this.path = inner.path;
  }

  /** Reads, counted and traced with the bytes. */
  read(offset: number, length: number): Uint8Array {
    const trace = this.trace;
    let out: Uint8Array;
    if (trace) {
      try {
        out = this.inner.read(offset, length);
      } catch (e) {
        trace({ type: 'io', call: 'read', path: this.path, offset, length, error: codeOf(e) });
        throw e;
      }
    } else out = this.inner.read(offset, length);
    this.counters.reads++;
    this.counters.bytesRead += out.length;
    trace?.({ type: 'io', call: 'read', path: this.path, offset, length: out.length, ...hexOf(out) });
    return out;
  }

  /** Writes, counted and traced with the bytes. */
  write(offset: number, data: Uint8Array): void {
    this.writeAt(offset, data, false);
  }

  /** Appends, counted and traced as a write at the offset it landed. */
  append(data: Uint8Array): number {
    return this.writeAt(this.inner.size(), data, true);
  }

  /** The shared body of write and append; no closure or event on the untraced path. */
  private writeAt(offset: number, data: Uint8Array, append: boolean): number {
    const trace = this.trace;
    let at = offset;
    if (!trace) {
      if (append) at = this.inner.append(data);
      else this.inner.write(offset, data);
    } else {
      try {
        if (append) at = this.inner.append(data);
        else this.inner.write(offset, data);
      } catch (e) {
        trace({ type: 'io', call: 'write', path: this.path, offset, length: data.length, error: codeOf(e) });
        throw e;
      }
    }
    this.counters.writes++;
    this.counters.bytesWritten += data.length;
    trace?.({ type: 'io', call: 'write', path: this.path, offset: at, length: data.length, ...hexOf(data) });
    return at;
  }

  size(): number {
    return this.inner.size();
  }

  /** Truncates, traced. */
  truncate(size: number): void {
    const trace = this.trace;
    if (trace) {
      try {
        this.inner.truncate(size);
      } catch (e) {
        trace({ type: 'io', call: 'truncate', path: this.path, length: size, error: codeOf(e) });
        throw e;
      }
      trace({ type: 'io', call: 'truncate', path: this.path, length: size });
    } else this.inner.truncate(size);
  }

  /** Syncs, counted and traced. */
  sync(): void {
    const trace = this.trace;
    if (trace) {
      try {
        this.inner.sync();
      } catch (e) {
        trace({ type: 'io', call: 'sync', path: this.path, error: codeOf(e) });
        throw e;
      }
    } else this.inner.sync();
    this.counters.syncs++;
    trace?.({ type: 'io', call: 'sync', path: this.path });
  }

  close(): void {
    this.inner.close();
  }
}
