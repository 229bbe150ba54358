/**
 * manifest.ts: the MANIFEST, the list of data files the store consists of (format.ts has the
 * bytes). It is what lets open notice a data file that was deleted, cut short or grown:
 * every sealed file is listed with its exact size, so nothing but the one active file is
 * allowed to differ from what was written.
 *
 * Replacing it is atomic: write MANIFEST.tmp, fsync it, fsync the directory, rename it over
 * MANIFEST, fsync the directory again. The first directory fsync makes durable every name the
 * new MANIFEST lists (the new active file, a merge's outputs and hints) before the rename can
 * be: a file system may persist directory changes in any order until a directory fsync, so a
 * rename could otherwise survive a crash that loses the create of a file it names (LevelDB
 * syncs the directory before its MANIFEST for the same reason). The second makes the rename
 * durable. Until then the old MANIFEST holds, and it names a set of files that is still all
 * there: a merge removes its inputs only after its MANIFEST is durable, and a new active
 * file is listed before anything is written to it.
 */
import { readWhole, type FileSystem } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { MANIFEST_NAME, MANIFEST_TMP, decodeManifest, encodeManifest, type Manifest } from './format.js';

/** The MANIFEST's path in `dir`. */
export function manifestPath(dir: string): string {
  return join(dir, MANIFEST_NAME);
}

/** Reads and checks the MANIFEST; undefined when there is none (KV_CORRUPT when it is bad). */
export function readManifest(fs: FileSystem, dir: string): Manifest | undefined {
  const path = manifestPath(dir);
  if (!fs.exists(path)) return undefined;
  return decodeManifest(readWhole(fs, path), path);
}

/** Replaces the MANIFEST with `m` atomically and durably; returns its size in bytes. */
export function writeManifest(fs: FileSystem, dir: string, m: Manifest): number {
  const bytes = encodeManifest(m);
  const tmp = join(dir, MANIFEST_TMP);
  const h = fs.open(tmp, { create: true, truncate: true });
  try {
    h.write(0, bytes);
    // The contents must be durable before the name points at them.
    h.sync();
  } finally {
    h.close();
  }
  // Every file the new MANIFEST names exists durably before the name points at it.
  fs.syncDir(dir);
  fs.rename(tmp, manifestPath(dir));
  // The rename must be durable before any write to the new active file is acknowledged as
  // synced, and before a merge removes its inputs.
  fs.syncDir(dir);
  return bytes.length;
}
