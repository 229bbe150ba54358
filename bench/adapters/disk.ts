/**
 * disk.ts: what the peers cannot tell us themselves: the size of a store's directory and
 * the process's file I/O counters (Linux /proc/self/io, which covers every thread, so it
 * includes LevelDB's background compactions).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AdapterStats } from '../adapter.js';

/** Sum of the sizes of the files under `dir` (0 if it does not exist). */
export function dirBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/** Bytes the process passed to read and write calls so far (rchar, wchar), or undefined off Linux. */
export function processIo(): { read: number; written: number } | undefined {
  try {
    const text = fs.readFileSync('/proc/self/io', 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    return { read: field('rchar'), written: field('wchar') };
  } catch {
    return undefined;
  }
}

/** A peer's stats: process I/O since `io0` (from processIo() at open) and its directory's size. */
export function peerStats(io0: { read: number; written: number } | undefined, dir: string): AdapterStats {
  const io = processIo();
  return {
    bytesWritten: io && io0 ? io.written - io0.written : 0,
    bytesRead: io && io0 ? io.read - io0.read : 0,
    syncs: undefined,
    diskBytes: dirBytes(dir),
    liveKeys: undefined,
    memoryBytes: undefined,
    ioSource: io ? 'proc' : 'none',
  };
}
