/**
 * state.ts: the bitcask engine's state and the small operations every part of it shares
 * (the write path in store.ts, recovery.ts and merge.ts): the keydir, the data files, the
 * active file, the sequence counter, and how a record changes the keydir.
 *
 * Invariants:
 *   - `files` holds every data file in the directory, by id; ids only grow (`lastId` is the
 *     largest ever used), and the active file, when there is one, has the largest id;
 *   - every sequence number in any file is below `nextSeq`;
 *   - the MANIFEST on disk lists every file in `files` (a new active file is listed before
 *     anything is written to it); every listed file but the active one is sealed: synced,
 *     and never written again;
 *   - `liveUserBytes` is the sum of key + value lengths of the keydir's keys.
 */
import { ReadCache } from './read-cache.js';
import { display } from '../bytes.js';
import type { FileSystem } from '../storage/fs.js';
import type { TraceListener } from '../registry-types.js';
import { DataFile } from './datafile.js';
import { Keydir, type KeydirEntry } from './keydir.js';
import { RECORD_HEADER, recordSize, type Manifest } from './format.js';
import { writeManifest } from './manifest.js';
import type { ManifestReason } from './events.js';

/** The engine's tuning, checked. */
export interface BitcaskTuning {
  maxFileBytes: number;
  syncEveryWrite: boolean;
  mergeDeadRatio: number;
  mergeMinDeadBytes: number;
  readCacheBytes: number;
}

/** The shared state. */
export class BitcaskState {
  readonly keydir = new Keydir();
  readonly files = new Map<number, DataFile>();
  /** The file appends go to; undefined until the first write after open or a merge. */
  active: DataFile | undefined;
  nextSeq = 1;
  lastId = 0;
  liveUserBytes = 0;
  merges = 0;
  /** The active file id the MANIFEST on disk names (0: none), so close knows whether to seal it. */
  manifestActive = 0;

  constructor(
    readonly fs: FileSystem,
    readonly dir: string,
    readonly trace: TraceListener | undefined,
    readonly tuning: BitcaskTuning,
  ) {
    this.cache = new ReadCache(tuning.readCacheBytes);
  }

  /** The cache of data-file blocks gets read through (read-cache.ts). */
  readonly cache: ReadCache;

  /** The data file with this id (it must exist: the keydir never points elsewhere). */
  fileOf(id: number): DataFile {
    return this.files.get(id)!;
  }

  /** Data file ids in increasing order. */
  ids(): number[] {
    return [...this.files.keys()].sort((a, b) => a - b);
  }

  /**
   * Points `k` at a put record, if `seq` is newer than what the keydir has; returns whether
   * it did. The record it replaces becomes dead bytes in its file.
   */
  applyPut(k: string, file: DataFile, recordOffset: number, valueSize: number, seq: number): boolean {
    const old = this.keydir.get(k);
    if (old && old.seq >= seq) return false;
    const entry: KeydirEntry = { file: file.id, valueOffset: recordOffset + RECORD_HEADER + k.length, valueSize, seq };
    this.keydir.set(k, entry);
    file.liveBytes += recordSize(k.length, valueSize);
    this.liveUserBytes += k.length + valueSize;
    const dead = old ? this.forget(k, old) : 0;
    this.trace?.({
      type: 'bitcask.keydir',
      action: 'set',
      key: displayKey(k),
      file: file.name,
      valueOffset: entry.valueOffset,
      valueSize,
      seq,
      keys: this.keydir.size,
      dead,
    });
    return true;
  }

  /** Removes `k` for a tombstone with sequence `seq`, if it is newer than the entry; returns whether it did. */
  applyDelete(k: string, seq: number): boolean {
    const old = this.keydir.get(k);
    if (!old || old.seq >= seq) return false;
    this.keydir.delete(k);
    const dead = this.forget(k, old);
    this.trace?.({ type: 'bitcask.keydir', action: 'remove', key: displayKey(k), seq, keys: this.keydir.size, dead });
    return true;
  }

  /** Accounts for the record `old` no longer being live; returns its size. */
  private forget(k: string, old: KeydirEntry): number {
    const size = recordSize(k.length, old.valueSize);
    this.fileOf(old.file).liveBytes -= size;
    this.liveUserBytes -= k.length + old.valueSize;
    return size;
  }

  /** Dead and total bytes over the immutable files (all but the active one). */
  immutableBytes(): { dead: number; total: number } {
    let dead = 0;
    let total = 0;
    for (const f of this.files.values()) {
      if (f === this.active) continue;
      dead += f.deadBytes;
      total += f.size;
    }
    return { dead, total };
  }

  /** Syncs and seals the active file: from now on it is immutable. Its handle stays open for reads. */
  sealActive(): void {
    const a = this.active;
    if (!a) return;
    a.sync(this.fs);
    this.active = undefined;
  }

  /** The MANIFEST that describes the files now: every file but the active one sealed at its size. */
  manifest(): Manifest {
    const sealed = this.ids()
      .filter((id) => id !== this.active?.id)
      .map((id) => {
        const f = this.fileOf(id);
        return { id, size: f.size, hint: f.hint };
      });
    return { lastId: this.lastId, active: this.active?.id ?? 0, sealed };
  }

  /** Writes the MANIFEST for the files now (atomically and durably) and traces it. */
  recordFiles(reason: ManifestReason): void {
    const m = this.manifest();
    const bytes = writeManifest(this.fs, this.dir, m);
    this.manifestActive = m.active;
    this.trace?.({
      type: 'bitcask.manifest',
      reason,
      sealed: m.sealed.length,
      ...(this.active ? { active: this.active.name } : {}),
      bytes,
    });
  }

  /** Closes every handle without writing. */
  closeAll(): void {
    for (const f of this.files.values()) f.close();
  }
}

/** A binary-string key as a trace shows it. */
export function displayKey(k: string): string {
  const b = new Uint8Array(k.length);
  for (let i = 0; i < k.length; i++) b[i] = k.charCodeAt(i);
  return display(b);
}
