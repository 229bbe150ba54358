/**
 * power-loss.ts: which unsynced writes land when the power is cut. After every file has gone
 * back to its durable bytes, landPending() applies the pending writes the options choose: a
 * prefix of them (the next one possibly torn), each file its own prefix, or any subset of
 * their 512-byte sectors; and, with zeroExtend, a lost append still grows its file with zeros.
 * MemoryFileSystem.powerLoss() does the rest (directory entries, durable state, dead handles).
 *
 * No node: import here; this file runs in the browser.
 */
import { applyPending, type Inode, type Pending } from './disk-model.js';

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

/** The sector size keepSector works in. */
export const SECTOR = 512;

/** Applies to the current bytes of their files the `pending` writes that `options` say land. */
export function landPending(pending: Pending[], options: PowerLossOptions): void {
  const landed = new Set<Pending>();
  if (options.keepFileWrites) {
    // Step 3, per file: each keeps its own prefix of its pending writes.
    const byInode = new Map<Inode, Pending[]>();
    for (const p of pending) byInode.set(p.inode, [...(byInode.get(p.inode) ?? []), p]);
    for (const [inode, list] of byInode) {
      const keep = Math.max(0, Math.min(list.length, options.keepFileWrites(inode.name, list.length)));
      for (const p of list.slice(0, keep)) landed.add(p);
    }
    for (const p of pending) if (landed.has(p)) applyPending(p, 'current', undefined);
  } else if (options.keepSector) {
    // Step 3, reordering disk: any subset of the pending sectors lands.
    pending.forEach((p, i) => {
      if (p.kind === 'truncate') {
        if (options.keepSector!(i, -1)) applyPending(p, 'current', undefined);
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
    const keep = Math.min(options.keepWrites ?? 0, pending.length);
    for (let i = 0; i < keep; i++) {
      applyPending(pending[i]!, 'current', undefined);
      landed.add(pending[i]!);
    }
    if (options.tornBytes !== undefined && keep < pending.length) {
      applyPending(pending[keep]!, 'current', options.tornBytes);
    }
  }
  if (options.zeroExtend) {
    // A lost write that grew its file: the size survives, the bytes read as zeros.
    for (const p of pending) {
      if (landed.has(p) || p.kind !== 'write') continue;
      const end = p.offset + p.data.length;
      if (end > p.inode.current.size) p.inode.current.truncate(end);
    }
  }
}
