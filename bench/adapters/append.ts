/**
 * append.ts: the ceiling for log-structured writes: each put appends the key and value
 * bytes to one file through a 64 KiB buffer (one write call per full buffer), and sync()
 * flushes the buffer and fsyncs. No index, no reads: the least any log engine must do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AdapterStats, BenchKV, Subject } from '../adapter.js';

/** The buffer size. */
export const APPEND_BUFFER_BYTES = 64 * 1024;

/** An append-only log with a write buffer. */
class AppendKV implements BenchKV {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(APPEND_BUFFER_BYTES);
  private used = 0;
  private written = 0;
  private syncs = 0;

  /** Opens (creating) the log file for appending. */
  constructor(private readonly file: string) {
    this.fd = fs.openSync(file, 'a');
  }

  /** Writes the buffered bytes to the file. */
  private flush(): void {
    if (this.used === 0) return;
    fs.writeSync(this.fd, this.buf, 0, this.used);
    this.written += this.used;
    this.used = 0;
  }

  /** Copies `bytes` into the buffer, flushing whenever it fills. */
  private append(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, APPEND_BUFFER_BYTES - this.used);
      this.buf.set(bytes.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      if (this.used === APPEND_BUFFER_BYTES) this.flush();
    }
  }

  /** Not supported: the limit has no index. */
  get(): undefined {
    throw new Error('the append limit cannot read');
  }
  /** Appends the key and value bytes. */
  put(key: Uint8Array, value: Uint8Array): void {
    this.append(key);
    this.append(value);
  }
  /** Appends the key alone (a tombstone). */
  delete(key: Uint8Array): void {
    this.append(key);
  }
  /** Appends every pair. */
  batch(pairs: [Uint8Array, Uint8Array][]): void {
    for (const [k, v] of pairs) this.put(k, v);
  }
  /** Not supported: the limit has no order. */
  scan(): number {
    throw new Error('the append limit cannot scan');
  }
  /** Writes the buffer and fsyncs the file. */
  sync(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    this.syncs++;
  }
  /** Syncs and closes the file. */
  close(): void {
    this.sync();
    fs.closeSync(this.fd);
  }
  /** Bytes written (buffered ones included) and fsyncs, as counted here. */
  stats(): AdapterStats {
    return {
      bytesWritten: this.written + this.used,
      bytesRead: 0,
      syncs: this.syncs,
      diskBytes: fs.statSync(this.file).size + this.used,
      liveKeys: undefined,
      memoryBytes: undefined,
      ioSource: 'self',
    };
  }
}

/** The buffered-append limit. */
export function appendSubject(): Subject {
  return {
    name: 'limit-append',
    kind: 'limit',
    lacks: new Set(['get', 'scan', 'reopen', 'trace']),
    async load() {
      return {};
    },
    open(dir) {
      fs.mkdirSync(dir, { recursive: true });
      return new AppendKV(path.join(dir, 'log'));
    },
  };
}
