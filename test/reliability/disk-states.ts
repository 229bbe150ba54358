/**
 * disk-states.ts: the states a disk can be left in by a power cut, as PowerLossOptions for
 * the memory file system: unsynced data all dropped or all kept, any subset of its 512-byte
 * sectors kept, the in-flight write torn at byte 0, 1, len-1, a random byte and each 512-byte
 * and 4 KiB boundary, and unsynced directory changes reverted or kept; and the states beyond
 * an ordered disk (DESIGN.md, "Crash states"): files persisting their unsynced writes
 * independently of each other, lost appends that leave their file grown with zeros, and each
 * directory change kept or lost on its own (a rename without its file's data).
 */
import type { MemoryFileSystem, PowerLossOptions } from '../../engines/storage/memory.js';
import { Rng } from '../util/rng.js';

/** A named disk state. */
export interface DiskState {
  name: string;
  options: PowerLossOptions;
}

/** The most tear points taken per write (boundaries beyond are sampled). */
const MAX_TEARS = 10;

/** Every disk state worth checking for what `fs` has pending now. */
export function diskStates(fs: MemoryFileSystem, rng: Rng): DiskState[] {
  const n = fs.pendingWrites();
  const salt = rng.int(1 << 30);
  const states: DiskState[] = [
    { name: 'unsynced data and directory changes dropped', options: {} },
    { name: 'everything kept', options: { keepWrites: n, keepDirChanges: true } },
    { name: 'unsynced data kept, directory changes reverted', options: { keepWrites: n } },
    { name: 'a random subset of unsynced sectors kept', options: { keepSector: (w, s) => hash(salt, w, s) % 2 === 0 } },
    { name: 'unsynced data dropped, directory changes kept', options: { keepDirChanges: true } },
  ];
  const files = [...fs.pendingByFile().keys()];
  if (files.length > 1) {
    const last = files[files.length - 1]!;
    states.push(
      {
        name: `only the file written last (${last}) keeps its unsynced writes`,
        options: { keepFileWrites: (f, k) => (f === last ? k : 0), keepDirChanges: true },
      },
      {
        name: 'each file keeps its own random prefix of its unsynced writes',
        options: { keepFileWrites: (f, k) => hash(salt, text(f), 1) % (k + 1), keepDirChanges: true },
      },
    );
  }
  if (n > 0) {
    states.push(
      { name: 'lost appends leave their files grown with zeros', options: { zeroExtend: true, keepDirChanges: true } },
      {
        name: 'lost appends leave their files grown with zeros, the newest writes kept',
        options: {
          zeroExtend: true,
          keepFileWrites: (f, k) => (f === files[files.length - 1] ? k : 0),
          keepDirChanges: true,
        },
      },
    );
  }
  const changed = fs.changedEntries();
  if (changed.length > 1) {
    states.push(
      {
        name: 'a random subset of directory changes kept, unsynced data dropped',
        options: { keepDirEntry: (p) => hash(salt, text(p), 2) % 2 === 0 },
      },
      {
        name: 'a random subset of directory changes kept, unsynced data kept',
        options: { keepDirEntry: (p) => hash(salt, text(p), 3) % 2 === 0, keepWrites: n },
      },
    );
  }
  if (n > 0) {
    const len = fs.pendingWriteLength(n - 1);
    const tears = new Set<number>([0, 1, len - 1, rng.int(Math.max(1, len))]);
    for (let b = 512; b < len && tears.size < MAX_TEARS; b += b % 4096 === 0 || b < 4096 ? 512 : 4096) tears.add(b);
    for (const t of tears) {
      if (t < 0 || t >= Math.max(1, len)) continue;
      states.push({
        name: `the in-flight write (${len} bytes) torn at byte ${t}`,
        options: { keepWrites: n - 1, tornBytes: t },
      });
    }
  }
  return states;
}

/** A string as a number for hash(). */
function text(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** A small integer hash, so a sector subset is random but replayable. */
function hash(a: number, b: number, c: number): number {
  let h = (a ^ Math.imul(b + 1, 0x9e3779b1) ^ Math.imul(c + 7, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}
