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
  /** Byte ranges [start, end) written since the last sync of this file, merged and sorted. */
  unsynced: [number, number][];
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
  return { files: d.files.map((f) => ({ ...f, bytes: f.bytes.slice(), unsynced: f.unsynced.map(([a, b]) => [a, b]) })) };
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
 * Applies one io event to `d` (in place), for files directly in `dir`. Failed calls
 * (events with `error`) changed nothing and are ignored.
 */
export function applyIo(d: DiskState, dir: string, e: IoEvent): void {
  if (e.error) return;
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
      const data = e.hex ? hexBytes(e.hex) : new Uint8Array(0);
      // A cut event carries only the first bytes; the length is still exact.
      const len = e.length ?? data.length;
      const at = e.offset ?? f.bytes.length;
      const end = at + len;
      if (end > f.bytes.length) {
        const grown = new Uint8Array(end);
        grown.set(f.bytes);
        f.bytes = grown;
      }
      f.bytes.set(data.subarray(0, len), at);
      f.unsynced = addRange(f.unsynced, at, end);
      return;
    }
    case 'truncate': {
      const f = findFile(d, name);
      if (!f) return;
      const size = e.length ?? 0;
      const next = new Uint8Array(size);
      next.set(f.bytes.subarray(0, Math.min(size, f.bytes.length)));
      if (size > f.bytes.length) f.unsynced = addRange(f.unsynced, f.bytes.length, size);
      f.unsynced = f.unsynced.filter(([a]) => a < size).map(([a, b]) => [a, Math.min(b, size)]);
      f.bytes = next;
      return;
    }
    case 'sync': {
      const f = findFile(d, name);
      if (f) f.unsynced = [];
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

/** Reads the directory from the memory file system, all of it durable (after a power loss). */
export function readDisk(fs: MemoryFileSystem, dir: string, ignore: ReadonlySet<string> = new Set(['LOCK'])): DiskState {
  if (!fs.exists(dir)) return emptyDisk();
  const files: DiskFile[] = [];
  for (const name of fs.list(dir)) {
    if (ignore.has(name)) continue;
    files.push({ name, bytes: readWhole(fs, `${dir}/${name}`), unsynced: [], entryDurable: true });
  }
  return { files };
}
