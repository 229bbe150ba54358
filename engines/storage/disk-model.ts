/**
 * disk-model.ts: what the memory file system keeps per file. An inode has two versions of its
 * bytes, current (what reads return) and durable (what survives a power loss); a write or
 * truncate not yet synced is a Pending change, kept in order until a sync makes it durable or a
 * power loss decides whether it lands (power-loss.ts).
 *
 * No node: import here; this file runs in the browser.
 */

/** A growable byte buffer: the bytes of one version of a file. */
export class Bytes {
  buf = new Uint8Array(0);
  size = 0;

  /** Writes `data` at `offset`, zero-filling any gap. */
  write(offset: number, data: Uint8Array): void {
    const end = offset + data.length;
    this.reserve(end);
    if (offset > this.size) this.buf.fill(0, this.size, offset);
    this.buf.set(data, offset);
    if (end > this.size) this.size = end;
  }

  /** Cuts or zero-extends to `size`. */
  truncate(size: number): void {
    this.reserve(size);
    if (size > this.size) this.buf.fill(0, this.size, size);
    this.size = size;
  }

  /** Grows the backing array to hold at least `n` bytes. */
  private reserve(n: number): void {
    if (n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(n, this.buf.length * 2, 64));
    next.set(this.buf.subarray(0, this.size));
    this.buf = next;
  }

  /** A copy of the bytes. */
  clone(): Bytes {
    const b = new Bytes();
    b.buf = this.buf.slice(0, this.size);
    b.size = this.size;
    return b;
  }
}

/** A file: its current bytes and the bytes that survive a power loss. */
export class Inode {
  current = new Bytes();
  durable = new Bytes();
  /** Ranges a failed fsync dropped: not durable until rewritten and synced (unsyncedRanges). */
  dropped: [number, number][] = [];
  /** The last path it was created or renamed at (names it in keepFileWrites). */
  constructor(public name = '') {}
}

/** An unsynced change to a file's bytes. */
export type Pending =
  { inode: Inode; kind: 'write'; offset: number; data: Uint8Array } | { inode: Inode; kind: 'truncate'; size: number };

/** Applies a pending change to one version of its file, optionally torn to `torn` bytes. */
export function applyPending(p: Pending, version: 'current' | 'durable', torn: number | undefined): void {
  const target = p.inode[version];
  if (p.kind === 'truncate') {
    if (torn === undefined) target.truncate(p.size);
    return;
  }
  const data = torn === undefined ? p.data : p.data.subarray(0, Math.max(0, Math.min(torn, p.data.length)));
  if (data.length > 0) target.write(p.offset, data);
}

/** Ranges sorted and merged where they touch or overlap. */
export function mergeRanges(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const r of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** The parts of merged `ranges` that merged `cut` does not cover. */
export function subtract(ranges: [number, number][], cut: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a0, b] of ranges) {
    let a = a0;
    for (const [c, e] of cut) {
      if (e <= a || c >= b) continue;
      if (c > a) out.push([a, c]);
      a = Math.max(a, e);
    }
    if (a < b) out.push([a, b]);
  }
  return out;
}
