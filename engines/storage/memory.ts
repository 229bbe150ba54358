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
 * No node: import here; this file runs in the browser.
 */
import { KVError, ioError } from '../errors.js';
import type { DirLock, FileHandle, FileSystem, OpenOptions } from './fs.js';
import { basename, dirname, normalize } from './path.js';

/** The kinds of call a fault can target. */
export type FsCall = 'open' | 'create' | 'read' | 'write' | 'append' | 'truncate' | 'sync' | 'syncDir' | 'rename' | 'remove' | 'list' | 'mkdir';

/** The calls that change what is on disk. */
const MUTATING = new Set<FsCall>(['create', 'write', 'append', 'truncate', 'sync', 'syncDir', 'rename', 'remove']);

/** An injected failure. */
export interface Fault {
  /** Which calls it applies to ('any' for all, 'mutate' for those that change the disk). */
  call: FsCall | 'any' | 'mutate';
  /** Only calls on paths containing this string (default: all paths). */
  path?: string;
  /** Let this many matching calls succeed first (default 0). */
  skip?: number;
  /** The errno reported (default 'EIO'). */
  errno?: 'EIO' | 'ENOSPC';
  /** How many matching calls fail (default 1; Infinity for all after). */
  times?: number;
  /**
   * The process dies at this call (a simulated crash) rather than the disk failing it: the
   * error's errno is 'ECRASH', and a sync that "fails" this way leaves the file's writes
   * pending (for a power loss to keep or drop), where an EIO fsync drops them.
   */
  crash?: boolean;
}

/** How a simulated power loss treats unsynced writes. */
export interface PowerLossOptions {
  /** How many of the pending (unsynced) writes, oldest first, land intact (default 0). */
  keepWrites?: number;
  /** If set, the pending write after those lands torn: only its first tornBytes bytes. */
  tornBytes?: number;
  /**
   * Instead of a prefix: each 512-byte file sector touched by a pending write lands if this
   * says so (called with the pending write's index and the sector's file offset).
   */
  keepSector?: (write: number, sectorOffset: number) => boolean;
  /** Keep the unsynced directory changes (creates, renames, removes) instead of reverting them. */
  keepDirChanges?: boolean;
  /**
   * Instead of one prefix for all files: how many of its `pending` unsynced writes, oldest
   * first, each file keeps (called once per file with a name it had and its count).
   */
  keepFileWrites?: (file: string, pending: number) => number;
  /** A lost write that had extended its file still extends it, with zeros. */
  zeroExtend?: boolean;
  /** Per path whose entry changed since its directory's last sync: keep the change (true) or revert it. */
  keepDirEntry?: (path: string) => boolean;
}

/** The errno of a simulated crash (see Fault.crash). */
export const CRASH = 'ECRASH';

/** The sector size keepSector works in. */
export const SECTOR = 512;

/** A growable byte buffer: the bytes of one version of a file. */
class Bytes {
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
class Inode {
  current = new Bytes();
  durable = new Bytes();
  /** Ranges a failed fsync dropped: not durable until rewritten and synced (unsyncedRanges). */
  dropped: [number, number][] = [];
  /** The last path it was created or renamed at (names it in keepFileWrites). */
  constructor(public name = '') {}
}

/** An unsynced change to a file's bytes. */
type Pending = { inode: Inode; kind: 'write'; offset: number; data: Uint8Array } | { inode: Inode; kind: 'truncate'; size: number };

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
    const inodes = new Set<Inode>([...this.files.values(), ...this.durableFiles.values(), ...this.pending.map((p) => p.inode)]);
    if (options.keepDirEntry) this.files = this.mixEntries(options.keepDirEntry);
    else if (!options.keepDirChanges) this.files = new Map(this.durableFiles);
    // Step 2: every file goes back to its durable bytes.
    for (const inode of inodes) inode.current = inode.durable.clone();
    const landed = new Set<Pending>();
    if (options.keepFileWrites) {
      // Step 3, per file: each keeps its own prefix of its pending writes.
      const byInode = new Map<Inode, Pending[]>();
      for (const p of this.pending) byInode.set(p.inode, [...(byInode.get(p.inode) ?? []), p]);
      for (const [inode, list] of byInode) {
        const keep = Math.max(0, Math.min(list.length, options.keepFileWrites(inode.name, list.length)));
        for (const p of list.slice(0, keep)) landed.add(p);
      }
      for (const p of this.pending) if (landed.has(p)) this.applyTo(p, 'current', undefined);
    } else if (options.keepSector) {
      // Step 3, reordering disk: any subset of the pending sectors lands.
      this.pending.forEach((p, i) => {
        if (p.kind === 'truncate') {
          if (options.keepSector!(i, -1)) this.applyTo(p, 'current', undefined);
          return;
        }
        for (let s = Math.floor(p.offset / SECTOR) * SECTOR; s < p.offset + p.data.length; s += SECTOR) {
          if (!options.keepSector!(i, s)) continue;
          const from = Math.max(s, p.offset);
          const to = Math.min(s + SECTOR, p.offset + p.data.length);
          p.inode.current.write(from, p.data.subarray(from - p.offset, to - p.offset));
        }
      });
    } else {
      // Step 3: a prefix of the pending writes lands, the next one possibly torn.
      const keep = Math.min(options.keepWrites ?? 0, this.pending.length);
      for (let i = 0; i < keep; i++) {
        this.applyTo(this.pending[i]!, 'current', undefined);
        landed.add(this.pending[i]!);
      }
      if (options.tornBytes !== undefined && keep < this.pending.length) {
        this.applyTo(this.pending[keep]!, 'current', options.tornBytes);
      }
    }
    if (options.zeroExtend) {
      // A lost write that grew its file: the size survives, the bytes read as zeros.
      for (const p of this.pending) {
        if (landed.has(p) || p.kind !== 'write') continue;
        const end = p.offset + p.data.length;
        if (end > p.inode.current.size) p.inode.current.truncate(end);
      }
    }
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
    return [...new Set([...this.files.keys(), ...this.durableFiles.keys()])].filter((p) => this.files.get(p) !== this.durableFiles.get(p)).sort();
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
        if (ok) this.applyTo(p, 'durable', undefined);
        if (p.kind === 'write' && p.data.length > 0) synced.push([p.offset, p.offset + p.data.length]);
      }
    }
    this.pending = rest;
    // What a failed fsync dropped is never durable; a later good fsync of a rewrite covers it.
    inode.dropped = ok ? subtract(inode.dropped, mergeRanges(synced)) : mergeRanges([...inode.dropped, ...synced]);
  }

  /** Applies a pending change to one version of its file, optionally torn to `torn` bytes. */
  private applyTo(p: Pending, version: 'current' | 'durable', torn: number | undefined): void {
    const target = p.inode[version];
    if (p.kind === 'truncate') {
      if (torn === undefined) target.truncate(p.size);
      return;
    }
    const data = torn === undefined ? p.data : p.data.subarray(0, Math.max(0, Math.min(torn, p.data.length)));
    if (data.length > 0) target.write(p.offset, data);
  }
}

/** Ranges sorted and merged where they touch or overlap. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const r of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** The parts of merged `ranges` that merged `cut` does not cover. */
function subtract(ranges: [number, number][], cut: [number, number][]): [number, number][] {
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

/** An open memory file. */
class MemoryHandle implements FileHandle {
  private closed = false;
  constructor(
    private readonly fs: MemoryFileSystem,
    readonly path: string,
    private readonly inode: Inode,
    private readonly epoch: number,
  ) {}

  /** Reads up to `length` bytes at `offset`. */
  read(offset: number, length: number): Uint8Array {
    this.live();
    this.fs.check('read', this.path);
    const b = this.inode.current;
    const end = Math.min(b.size, offset + length);
    return offset >= end ? new Uint8Array(0) : b.buf.slice(offset, end);
  }

  /** Writes at `offset`. */
  write(offset: number, data: Uint8Array): void {
    this.live();
    this.fs.check('write', this.path);
    this.fs.writeInode(this.inode, offset, data);
  }

  /** Appends at the end; returns where. */
  append(data: Uint8Array): number {
    this.live();
    this.fs.check('append', this.path);
    const at = this.inode.current.size;
    this.fs.writeInode(this.inode, at, data);
    return at;
  }

  /** Current size. */
  size(): number {
    this.live();
    return this.inode.current.size;
  }

  /** Cuts or extends. */
  truncate(size: number): void {
    this.live();
    this.fs.check('truncate', this.path);
    this.fs.truncateInode(this.inode, size);
  }

  /** Makes this file's writes durable; on an injected failure, they never will be. */
  sync(): void {
    this.live();
    try {
      this.fs.check('sync', this.path);
    } catch (e) {
      // A disk's fsync error loses the unsynced writes; a crash at this call leaves them pending.
      if (!(e instanceof KVError && e.errno === CRASH)) this.fs.syncInode(this.inode, false);
      throw e;
    }
    if (this.fs.syncAllowed()) this.fs.syncInode(this.inode, true);
  }

  /** Releases the handle. */
  close(): void {
    this.closed = true;
  }

  /** Throws if the handle is closed or from before a power loss. */
  private live(): void {
    if (this.closed) throw ioError('EBADF', `${this.path}: handle is closed`);
    this.fs.checkEpoch(this.epoch, this.path);
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
