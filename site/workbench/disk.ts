/**
 * disk.ts: the workbench's picture of the store's directory, rebuilt from `io` trace events.
 *
 * The recorder keeps one DiskState running while the engine works: every io event (create,
 * write, truncate, sync, syncDir, rename, remove) is applied to it, so the state after any
 * step is exactly what the trace says the disk holds. It also tracks what is not yet durable:
 * byte ranges written since the file's last sync, and directory entries made since the last
 * syncDir (what a power loss would drop). After a simulated power loss there are no events,
 * so the state is read back from the MemoryFileSystem itself (everything there is durable).
 *
 * Invariant (tested): after every command, the bytes here equal the memory file system's.
 */
import type { IoEvent } from '../../engines/trace.js';
import type { MemoryFileSystem } from '../../engines/storage/memory.js';
import { basename, dirname } from '../../engines/storage/path.js';
import { readWhole } from '../../engines/storage/fs.js';

/** One file as the trace says it is. */
export interface DiskFile {
  /** The file's name within the store's directory. */
  name: string;
  bytes: Uint8Array;
  /**
   * Byte ranges [start, end) not yet durable, merged and sorted: written since the file's last
   * sync, or dropped by a failed fsync (which, as on Linux, loses them for good: they stay
   * not durable until rewritten and synced). The union of `pending` and `lost`.
   */
  unsynced: [number, number][];
  /** Written since the last fsync of this file. */
  pending?: [number, number][];
  /** Dropped by a failed fsync and not rewritten and synced since. */
  lost?: [number, number][];
  /** False when the directory entry (create or rename) is not yet made durable by syncDir. */
  entryDurable: boolean;
}

/** The store directory: its files by name, in name order. */
export interface DiskState {
  files: DiskFile[];
}

/** An empty directory. */
export function emptyDisk(): DiskState {
  return { files: [] };
}

/** A deep copy (the running state is mutated; keyframes are copies). */
export function cloneDisk(d: DiskState): DiskState {
  const copy = (r: [number, number][] | undefined): [number, number][] => (r ?? []).map(([a, b]) => [a, b]);
  return {
    files: d.files.map((f) => ({
      ...f,
      bytes: f.bytes.slice(),
      unsynced: copy(f.unsynced),
      ...(f.pending ? { pending: copy(f.pending) } : {}),
      ...(f.lost ? { lost: copy(f.lost) } : {}),
    })),
  };
}

/** Total bytes of every file. */
export function diskBytes(d: DiskState): number {
  let n = 0;
  for (const f of d.files) n += f.bytes.length;
  return n;
}

/** Bytes not yet durable (written since their file's last sync). */
export function unsyncedBytes(d: DiskState): number {
  let n = 0;
  for (const f of d.files) for (const [a, b] of f.unsynced) n += b - a;
  return n;
}

/** The file named `name`, if present. */
export function findFile(d: DiskState, name: string): DiskFile | undefined {
  return d.files.find((f) => f.name === name);
}

/** Parses the hex of an io event (lowercase, no separators). */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

/**
 * Applies one io event to `d` (in place), for files directly in `dir`, with `written` the
 * exact bytes of a write when known. Failed calls (events with `error`) changed nothing.
 */
export function applyIo(d: DiskState, dir: string, e: IoEvent, written?: Uint8Array): void {
  if (e.error) {
    // A failed fsync drops the file's unsynced writes for good (Linux, and memory.ts).
    if (e.call === 'sync' && dirname(e.path) === dir) {
      const f = findFile(d, basename(e.path));
      if (f) {
        for (const [a, b] of f.pending ?? []) f.lost = addRange(f.lost ?? [], a, b);
        f.pending = [];
        f.unsynced = [...(f.lost ?? [])];
      }
    }
    return;
  }
  if (e.call === 'syncDir') {
    if (e.path === dir) for (const f of d.files) f.entryDurable = true;
    return;
  }
  if (dirname(e.path) !== dir) return;
  const name = basename(e.path);
  switch (e.call) {
    case 'create':
      if (!findFile(d, name)) insert(d, { name, bytes: new Uint8Array(0), unsynced: [], entryDurable: false });
      return;
    case 'write': {
      const f = findFile(d, name) ?? insert(d, { name, bytes: new Uint8Array(0), unsynced: [], entryDurable: false });
      // The recorder passes the exact bytes; a cut event's hex holds only the first ones.
      const data = written ?? (e.hex ? hexBytes(e.hex) : new Uint8Array(0));
      const len = e.length ?? data.length;
      const at = e.offset ?? f.bytes.length;
      const end = at + len;
      if (end > f.bytes.length) {
        const grown = new Uint8Array(end);
        grown.set(f.bytes);
        f.bytes = grown;
      }
      f.bytes.set(data.subarray(0, len), at);
      f.pending = addRange(f.pending ?? [], at, end);
      f.unsynced = addRange(f.unsynced, at, end);
      return;
    }
    case 'truncate': {
      const f = findFile(d, name);
      if (!f) return;
      const size = e.length ?? 0;
      const next = new Uint8Array(size);
      next.set(f.bytes.subarray(0, Math.min(size, f.bytes.length)));
      const clip = (r: [number, number][] | undefined): [number, number][] =>
        (r ?? []).filter(([a]) => a < size).map(([a, b]) => [a, Math.min(b, size)]);
      f.pending = clip(f.pending);
      f.lost = clip(f.lost);
      if (size > f.bytes.length) f.pending = addRange(f.pending, f.bytes.length, size);
      f.unsynced = f.lost.reduce((r, [a, b]) => addRange(r, a, b), [...f.pending]);
      f.bytes = next;
      return;
    }
    case 'sync': {
      // The writes since the last fsync are durable; those a failed fsync dropped stay lost,
      // unless this fsync covered a rewrite of them.
      const f = findFile(d, name);
      if (!f) return;
      f.lost = subtractRanges(f.lost ?? [], f.pending ?? []);
      f.pending = [];
      f.unsynced = [...f.lost];
      return;
    }
    case 'rename': {
      const f = findFile(d, name);
      if (!f || !e.to) return;
      d.files = d.files.filter((x) => x !== f && x.name !== basename(e.to!));
      if (dirname(e.to) === dir) insert(d, { ...f, name: basename(e.to), entryDurable: false });
      return;
    }
    case 'remove':
      d.files = d.files.filter((x) => x.name !== name);
      return;
    case 'read':
      return;
  }
}

/** Applies a `corrupt` step to `d` (in place): one byte of a file changed at rest, so it stays durable. */
export function applyDamage(d: DiskState, damage: { file: string; offset: number; after: number }): void {
  const f = findFile(d, damage.file);
  if (!f || damage.offset >= f.bytes.length) return;
  f.bytes[damage.offset] = damage.after;
}

/** Inserts a file keeping name order; returns it. */
function insert(d: DiskState, f: DiskFile): DiskFile {
  d.files.push(f);
  d.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return f;
}

/** Adds [a, b) to a sorted list of disjoint ranges, merging neighbours. */
export function addRange(ranges: [number, number][], a: number, b: number): [number, number][] {
  if (b <= a) return ranges;
  const out: [number, number][] = [];
  let cur: [number, number] = [a, b];
  for (const r of ranges) {
    if (r[1] < cur[0]) out.push(r);
    else if (r[0] > cur[1]) {
      out.push(cur);
      cur = r;
    } else cur = [Math.min(r[0], cur[0]), Math.max(r[1], cur[1])];
  }
  out.push(cur);
  return out.sort((x, y) => x[0] - y[0]);
}

/** The parts of sorted, disjoint `ranges` not covered by sorted, disjoint `cut`. */
export function subtractRanges(ranges: [number, number][], cut: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a0, b] of ranges) {
    let a = a0;
    for (const [c, e] of cut) {
      if (e <= a || c >= b) continue;
      if (c > a) out.push([a, c]);
      a = Math.max(a, e);
      if (a >= b) break;
    }
    if (a < b) out.push([a, b]);
  }
  return out;
}

/** Reads the directory from the memory file system, all of it durable (after a power loss). */
export function readDisk(
  fs: MemoryFileSystem,
  dir: string,
  ignore: ReadonlySet<string> = new Set(['LOCK']),
): DiskState {
  if (!fs.exists(dir)) return emptyDisk();
  const files: DiskFile[] = [];
  for (const name of fs.list(dir)) {
    if (ignore.has(name)) continue;
    files.push({ name, bytes: readWhole(fs, `${dir}/${name}`), unsynced: [], entryDurable: true });
  }
  return { files };
}
