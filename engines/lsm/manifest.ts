/**
 * manifest.ts: the manifest, the durable record of which tables are live (LevelDB's
 * MANIFEST and CURRENT files, version_set.cc).
 *
 * The manifest is a log of version edits in the same frames as the write-ahead log. Its
 * first record is a full snapshot (every live table, as "added"); each flush or compaction
 * then appends one edit and fsyncs it. That fsync is the commit point: before it, the new
 * tables are garbage a recovery deletes; after it, they are live and the old inputs are the
 * garbage. A torn last edit is a change that never committed.
 *
 * CURRENT names the live manifest. Each open writes a fresh manifest (a snapshot of the
 * recovered version), so the file never grows without bound and never has a torn tail in
 * the middle; it is switched in by writing CURRENT.tmp, fsyncing it, fsyncing the directory
 * (so the new manifest and the log it names exist durably before any name points at them: a
 * file system may persist directory changes in any order until a directory fsync, which is
 * why LevelDB syncs the directory before a new MANIFEST), renaming it over CURRENT (atomic)
 * and fsyncing the directory again.
 */
import { corrupt } from '../errors.js';
import { fromUtf8, utf8 } from '../bytes.js';
import { encodeFrame } from '../codec/frame.js';
import { readWhole, type FileHandle, type FileSystem } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { CURRENT, CURRENT_TMP, decodeEdit, encodeEdit, manifestName, parseName, type VersionEdit } from './format.js';
import { Version } from './version.js';
import { readFrames } from './wal.js';

/** What a manifest says, replayed. */
export interface ManifestState {
  version: Version;
  logNumber: number;
  nextFile: number;
  lastSeq: number;
  edits: number;
  /** Sealed logs: number to complete length. */
  sealed: Map<number, number>;
  /** Set when a torn last edit was dropped. */
  tornAt?: number;
}

/** The manifest file CURRENT names, or undefined when there is no CURRENT (a new store). */
export function readCurrent(fs: FileSystem, dir: string): string | undefined {
  const path = join(dir, CURRENT);
  if (!fs.exists(path)) return undefined;
  const text = readWhole(fs, path);
  let name: string;
  try {
    name = fromUtf8(text);
  } catch {
    throw corrupt(CURRENT, 0, 'CURRENT is not text');
  }
  const parsed = parseName(name.replace(/\n$/, ''));
  if (!name.endsWith('\n') || !parsed || parsed.kind !== 'manifest')
    throw corrupt(CURRENT, 0, `CURRENT does not name a manifest (${JSON.stringify(name.slice(0, 40))})`);
  return name.slice(0, -1);
}

/** Replays a manifest into a version and counters. */
export function readManifest(fs: FileSystem, dir: string, name: string): ManifestState {
  const path = join(dir, name);
  if (!fs.exists(path)) throw corrupt(name, 0, 'CURRENT names this manifest, but it is missing');
  const { records, tornAt } = readFrames(readWhole(fs, path), name, true);
  if (records.length === 0) throw corrupt(name, 0, 'the manifest holds no complete edit');
  const st: ManifestState = {
    version: new Version(),
    logNumber: 0,
    nextFile: 0,
    lastSeq: 0,
    edits: 0,
    sealed: new Map(),
  };
  for (const r of records) {
    const e = decodeEdit(r.payload, name, r.offset + 8);
    st.version = st.version.apply(e, name);
    if (e.logNumber !== undefined) st.logNumber = e.logNumber;
    for (const l of e.sealed ?? []) st.sealed.set(l.number, l.bytes);
    if (e.nextFile !== undefined) st.nextFile = e.nextFile;
    if (e.lastSeq !== undefined) st.lastSeq = Math.max(st.lastSeq, e.lastSeq);
    st.edits++;
  }
  if (tornAt !== undefined) st.tornAt = tornAt;
  return st;
}

/** Appends edits to the live manifest. */
export class ManifestWriter {
  private constructor(
    private readonly handle: FileHandle,
    readonly name: string,
    readonly number: number,
  ) {}

  /**
   * Writes a new manifest holding `snapshot`, fsyncs it, and makes it live by replacing
   * CURRENT. The caller removes the old manifest afterwards.
   */
  static create(fs: FileSystem, dir: string, number: number, snapshot: VersionEdit): ManifestWriter {
    const name = manifestName(number);
    const h = fs.open(join(dir, name), { create: true, truncate: true });
    const w = new ManifestWriter(h, name, number);
    try {
      w.append(snapshot);
      // Switch CURRENT: temp file, fsync, directory fsync, atomic rename, directory fsync.
      const tmp = join(dir, CURRENT_TMP);
      const c = fs.open(tmp, { create: true, truncate: true });
      try {
        c.write(0, utf8(name + '\n'));
        c.sync();
      } finally {
        c.close();
      }
      fs.syncDir(dir);
      fs.rename(tmp, join(dir, CURRENT));
      fs.syncDir(dir);
    } catch (e) {
      h.close();
      throw e;
    }
    return w;
  }

  /** Appends one edit and fsyncs it: the commit point of a flush or compaction. */
  append(edit: VersionEdit): void {
    this.handle.append(encodeFrame(encodeEdit(edit)));
    this.handle.sync();
  }

  /** Bytes in the manifest. */
  size(): number {
    return this.handle.size();
  }

  /** Closes the file. */
  close(): void {
    this.handle.close();
  }
}
