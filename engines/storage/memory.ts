/**
 * memory.ts: an in-memory FileSystem that knows what is durable, for the browser and tests.
 *
 * Model. Each file is an inode with its current bytes and its durable bytes (as of its last
 * sync). Each directory has a current set of entries and a durable set (as of its last
 * syncDir). Writes and truncates not yet synced are kept, in the order they were made, in
 * `pending`. powerLoss() then does what a power cut does:
 *   1. every directory reverts to its durable entries (unsynced creates, renames and removes
 *      are forgotten);
 *   2. every file reverts to its durable bytes;
 *   3. optionally, the first `keepWrites` pending writes land anyway (disks persist some
 *      unsynced data), and the next one lands torn: only its first `tornBytes` bytes; or,
 *      with `keepSector`, any subset of the 512-byte sectors of the pending writes lands
 *      (a disk that reorders its writes);
 *   4. with `keepDirChanges`, the unsynced creates, renames and removes survive instead.
 * Beyond a prefix or a set of sectors, three more ways a real file system can persist its
 * unsynced state (the persistence models of ALICE and CrashMonkey; see DESIGN.md):
 *   - `keepFileWrites`: each file keeps its own prefix of its pending writes, independently
 *     of the others, so a newer file's bytes can be on disk while an older file's are lost;
 *   - `zeroExtend`: a pending write that is lost but had grown its file leaves the file grown,
 *     reading zeros there (ext4's writeback mode can leave an append so);
 *   - `keepDirEntry`: each unsynced directory change (create, rename, remove) survives or not
 *     on its own, so a rename can persist while its file's unsynced data does not.
 * Directories made by mkdir are durable at once (the engines never depend on that).
 *
 * Faults. injectFault() makes a chosen call (the nth of a kind, or matching a path) throw
 * KV_IO with errno EIO or ENOSPC; the kind 'mutate' matches every call that changes the disk
 * (write, append, truncate, sync, syncDir, rename, remove, and an open that creates).
 * Sync sites. For proving that every sync an engine makes is needed, `skipSync` can turn
 * chosen sync call sites (named by the engine's source line that called them) into no-ops
 * that report success; `syncSites` records the sites seen. A failed write changes nothing. A failed sync behaves as
 * Linux does after an fsync error: the pending writes of that file are no longer pending,
 * and never become durable, although reads still return them.
 *
 * The parts: disk-model.ts (inodes, their two versions, pending changes), power-loss.ts (which
 * unsynced writes land), faults.ts (what can be injected), memory-handle.ts (an open file).
 *
 * No node: import here; this file runs in the browser.
 */
import { KVError, ioError } from '../errors.js';
import type { DirLock, FileHandle, FileSystem, OpenOptions } from './fs.js';
import { basename, dirname, normalize } from './path.js';
import { Inode, applyPending, mergeRanges, subtract, type Pending } from './disk-model.js';
import { CRASH, MUTATING, type Fault, type FsCall } from './faults.js';
import { landPending, type PowerLossOptions } from './power-loss.js';
import { MemoryHandle } from './memory-handle.js';

export { CRASH, type Fault, type FsCall } from './faults.js';
export { SECTOR, type PowerLossOptions } from './power-loss.js';

/** The memory backend. */
export class MemoryFileSystem implements FileSystem {
  readonly kind = 'memory';
  /** Current entries: normalized path to inode. */
  private files = new Map<string, Inode>();
  /** Durable entries, as of each directory's last syncDir. */
  private durableFiles = new Map<string, Inode>();
  private dirs = new Set<string>(['/', '.']);
  private pending: Pending[] = [];
  private locks = new Set<string>();
  private faults: (Fault & { seen: number; failed: number })[] = [];
  /** Bumped by powerLoss(); handles from an earlier epoch are dead. */
  private epoch = 0;
  /** Every call made so far, counted (for "fail the nth call" campaigns). */
  calls = 0;

  // ---- the simulation controls -------------------------------------------------------

  /** Simulates a power cut (and the death of every process using this file system). */
  powerLoss(options: PowerLossOptions = {}): void {
    // Step 1: every directory forgets its unsynced entries (or, if asked, keeps them, all or some).
    const inodes = new Set<Inode>([
      ...this.files.values(),
      ...this.durableFiles.values(),
      ...this.pending.map((p) => p.inode),
    ]);
    if (options.keepDirEntry) this.files = this.mixEntries(options.keepDirEntry);
    else if (!options.keepDirChanges) this.files = new Map(this.durableFiles);
    // Step 2: every file goes back to its durable bytes.
    for (const inode of inodes) inode.current = inode.durable.clone();
    // Steps 3 and 4: the unsynced writes the options say land, land (power-loss.ts).
    landPending(this.pending, options);
    // What landed is now what the disk holds.
    for (const inode of inodes) {
      inode.durable = inode.current.clone();
      inode.dropped = [];
    }
    this.durableFiles = new Map(this.files);
    this.pending = [];
    this.locks.clear();
    this.epoch++;
  }

  /** The entries after a power loss that keeps the unsynced changes `keep` says yes to. */
  private mixEntries(keep: (path: string) => boolean): Map<string, Inode> {
    const out = new Map(this.durableFiles);
    for (const p of new Set([...this.files.keys(), ...this.durableFiles.keys()])) {
      const now = this.files.get(p);
      if (now === this.durableFiles.get(p) || !keep(p)) continue;
      if (now) out.set(p, now);
      else out.delete(p);
    }
    return out;
  }

  /**
   * A digest of every file's path and current bytes, so a test can tell two disk states
   * apart cheaply (and skip one identical to a state it has checked).
   */
  digest(): string {
    const parts: string[] = [];
    for (const [path, inode] of [...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const b = inode.current;
      let h1 = 0x811c9dc5;
      let h2 = 0x01000193;
      for (let i = 0; i < b.size; i++) {
        h1 = Math.imul(h1 ^ b.buf[i]!, 0x01000193);
        h2 = Math.imul(h2 + b.buf[i]!, 0x5bd1e995) ^ (h2 >>> 15);
      }
      parts.push(`${path}:${b.size}:${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`);
    }
    return parts.join('|');
  }

  /** The byte ranges [start, end) of `path` written since its last sync, merged and sorted. */
  unsyncedRanges(path: string): [number, number][] {
    const inode = this.files.get(normalize(path));
    if (!inode) return [];
    const out: [number, number][] = [...inode.dropped];
    for (const p of this.pending) {
      if (p.inode !== inode || p.kind !== 'write' || p.data.length === 0) continue;
      out.push([p.offset, p.offset + p.data.length]);
    }
    return mergeRanges(out);
  }

  /** Paths whose directory entry changed since their directory's last sync. */
  changedEntries(): string[] {
    return [...new Set([...this.files.keys(), ...this.durableFiles.keys()])]
      .filter((p) => this.files.get(p) !== this.durableFiles.get(p))
      .sort();
  }

  /** The files with unsynced writes, by a name each had, with their counts, the one written last last. */
  pendingByFile(): Map<string, number> {
    const out = new Map<string, number>();
    for (const p of this.pending) {
      const n = (out.get(p.inode.name) ?? 0) + 1;
      out.delete(p.inode.name);
      out.set(p.inode.name, n);
    }
    return out;
  }

  /** Nesting depth of quietly(). */
  private quiet = 0;

  /**
   * Runs `f` without counting its calls or letting injected faults fire: for a tool that looks
   * at a store between an engine's calls (the workbench's inspect() at every step) and must not
   * use up a fault, or a crash point, meant for the engine.
   */
  quietly<T>(f: () => T): T {
    this.quiet++;
    try {
      return f();
    } finally {
      this.quiet--;
    }
  }

  /** The current bytes of `path` (a copy), or undefined: not a file system call (no count, no fault). */
  peek(path: string): Uint8Array | undefined {
    const inode = this.files.get(normalize(path));
    return inode ? inode.current.buf.slice(0, inode.current.size) : undefined;
  }

  /** Chosen sync call sites become no-ops that report success (a test-only switch). */
  skipSync: ((site: string) => boolean) | undefined = undefined;
  /** Every sync call site seen while `trackSyncSites` is on, with how often it ran. */
  readonly syncSites = new Map<string, number>();
  /** Record sync call sites (costs a stack trace per sync). */
  trackSyncSites = false;

  /** True if this sync should really happen; records its call site when tracking. */
  syncAllowed(): boolean {
    if (!this.trackSyncSites && !this.skipSync) return true;
    const site = callSite();
    if (this.trackSyncSites) this.syncSites.set(site, (this.syncSites.get(site) ?? 0) + 1);
    return !(this.skipSync && this.skipSync(site));
  }

  /** The number of calls so far that changed the disk (for crashing after each one). */
  mutations = 0;

  /** The number of writes and truncates not yet synced (for choosing crash points). */
  pendingWrites(): number {
    return this.pending.length;
  }

  /** The byte length of the nth pending write (0 for a truncate), for choosing a tear point. */
  pendingWriteLength(n: number): number {
    const p = this.pending[n];
    return p && p.kind === 'write' ? p.data.length : 0;
  }

  /** Arranges for a future call to fail. */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, seen: 0, failed: 0 });
  }

  /** Removes every injected fault. */
  clearFaults(): void {
    this.faults = [];
  }

  /** A deep copy of this file system's durable and current state, with no locks held. */
  clone(): MemoryFileSystem {
    const out = new MemoryFileSystem();
    const map = new Map<Inode, Inode>();
    const copy = (i: Inode): Inode => {
      let c = map.get(i);
      if (!c) {
        c = new Inode(i.name);
        c.current = i.current.clone();
        c.durable = i.durable.clone();
        c.dropped = i.dropped.map(([a, b]) => [a, b]);
        map.set(i, c);
      }
      return c;
    };
    for (const [p, i] of this.files) out.files.set(p, copy(i));
    for (const [p, i] of this.durableFiles) out.durableFiles.set(p, copy(i));
    out.dirs = new Set(this.dirs);
    out.pending = this.pending.map((p) => ({ ...p, inode: copy(p.inode) }));
    return out;
  }

  // ---- the FileSystem interface -------------------------------------------------------

  /** Opens (and with `create`, creates) a file. */
  open(path: string, options: OpenOptions = {}): FileHandle {
    const p = normalize(path);
    this.check('open', p);
    let inode = this.files.get(p);
    if (!inode && options.create) this.check('create', p);
    if (!inode) {
      if (!options.create) throw ioError('ENOENT', `no such file: ${p}`);
      if (!this.dirs.has(dirname(p))) throw ioError('ENOENT', `no such directory: ${dirname(p)}`);
      inode = new Inode(p);
      this.files.set(p, inode);
    } else if (options.truncate) {
      this.truncateInode(inode, 0);
    }
    return new MemoryHandle(this, p, inode, this.epoch);
  }

  /** Names in `dir`, sorted. */
  list(dir: string): string[] {
    const d = normalize(dir);
    this.check('list', d);
    if (!this.dirs.has(d)) throw ioError('ENOENT', `no such directory: ${d}`);
    const names: string[] = [];
    for (const p of this.files.keys()) if (dirname(p) === d) names.push(basename(p));
    for (const p of this.dirs) if (p !== d && dirname(p) === d) names.push(basename(p));
    return names.sort();
  }

  /** True when a file or directory exists at `path`. */
  exists(path: string): boolean {
    const p = normalize(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  /** Creates `dir` and its parents (durable at once). */
  mkdir(dir: string): void {
    const d = normalize(dir);
    this.check('mkdir', d);
    let cur = d;
    while (!this.dirs.has(cur)) {
      this.dirs.add(cur);
      cur = dirname(cur);
    }
  }

  /** Renames atomically, replacing the target. */
  rename(from: string, to: string): void {
    const f = normalize(from);
    const t = normalize(to);
    this.check('rename', f);
    const inode = this.files.get(f);
    if (!inode) throw ioError('ENOENT', `cannot rename ${f}: no such file`);
    if (!this.dirs.has(dirname(t))) throw ioError('ENOENT', `no such directory: ${dirname(t)}`);
    this.files.delete(f);
    this.files.set(t, inode);
    inode.name = t;
  }

  /** Removes a file; missing is fine. */
  remove(path: string): void {
    const p = normalize(path);
    this.check('remove', p);
    this.files.delete(p);
  }

  /** Makes `dir`'s current entries durable. */
  syncDir(dir: string): void {
    const d = normalize(dir);
    this.check('syncDir', d);
    if (!this.syncAllowed()) return;
    for (const p of [...this.durableFiles.keys()]) {
      if (dirname(p) === d && !this.files.has(p)) this.durableFiles.delete(p);
    }
    for (const [p, inode] of this.files) if (dirname(p) === d) this.durableFiles.set(p, inode);
  }

  /** Size of a file by path. */
  fileSize(path: string): number {
    const inode = this.files.get(normalize(path));
    if (!inode) throw ioError('ENOENT', `no such file: ${normalize(path)}`);
    return inode.current.size;
  }

  /** Takes the lock on `dir` (a power loss releases every lock, as the process died). */
  lock(dir: string): DirLock {
    const d = normalize(dir);
    if (this.locks.has(d)) {
      throw new KVError('KV_LOCKED', `${d} is already open by another store; close it first`);
    }
    this.locks.add(d);
    const epoch = this.epoch;
    return {
      release: () => {
        if (this.epoch === epoch) this.locks.delete(d);
      },
    };
  }

  // ---- internals used by MemoryHandle ---------------------------------------------------

  /** Counts a call and throws if an injected fault matches it (neither while quiet). */
  check(call: FsCall, path: string): void {
    if (this.quiet > 0) return;
    this.calls++;
    const mutating = MUTATING.has(call);
    if (mutating) this.mutations++;
    for (const f of this.faults) {
      if (f.call !== 'any' && f.call !== call && !(f.call === 'mutate' && mutating)) continue;
      if (f.path !== undefined && !path.includes(f.path)) continue;
      f.seen++;
      if (f.seen <= (f.skip ?? 0) || f.failed >= (f.times ?? 1)) continue;
      f.failed++;
      if (f.crash) throw ioError(CRASH, `${call} ${path}: the process died here (simulated crash)`);
      const errno = f.errno ?? 'EIO';
      throw ioError(errno, `${call} ${path} failed: ${errno} (injected)`);
    }
  }

  /** Throws if a handle outlived a power loss. */
  checkEpoch(epoch: number, path: string): void {
    if (epoch !== this.epoch) throw ioError('EBADF', `${path}: handle opened before a power loss`);
  }

  /** Writes to a file's current bytes and records the write as pending. */
  writeInode(inode: Inode, offset: number, data: Uint8Array): void {
    const copy = data.slice();
    inode.current.write(offset, copy);
    this.pending.push({ inode, kind: 'write', offset, data: copy });
  }

  /** Truncates a file's current bytes and records it as pending. */
  truncateInode(inode: Inode, size: number): void {
    inode.current.truncate(size);
    this.pending.push({ inode, kind: 'truncate', size });
  }

  /** Makes the inode's pending changes durable (ok) or drops them (a failed fsync). */
  syncInode(inode: Inode, ok: boolean): void {
    const rest: Pending[] = [];
    const synced: [number, number][] = [];
    for (const p of this.pending) {
      if (p.inode !== inode) rest.push(p);
      else {
        if (ok) applyPending(p, 'durable', undefined);
        if (p.kind === 'write' && p.data.length > 0) synced.push([p.offset, p.offset + p.data.length]);
      }
    }
    this.pending = rest;
    // What a failed fsync dropped is never durable; a later good fsync of a rewrite covers it.
    inode.dropped = ok ? subtract(inode.dropped, mergeRanges(synced)) : mergeRanges([...inode.dropped, ...synced]);
  }
}

/** The source line (file:line) of the engine code that called into the file system. */
function callSite(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  for (const line of lines) {
    if (/engines[\\/]storage[\\/]/.test(line)) continue;
    const m = /(engines[\\/][^():]+):(\d+)/.exec(line);
    if (m) return `${m[1]!.replace(/\\/g, '/')}:${m[2]}`;
  }
  return 'unknown';
}
