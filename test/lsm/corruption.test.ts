/**
 * A flipped bit in any SSTable block (data, filter, index, each block's checksum, the footer)
 * gives KV_CORRUPT or a correct answer, never a wrong value.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { readWhole } from '../../engines/storage/fs.js';
import { fromUtf8 } from '../../engines/bytes.js';
import { isKVError } from '../../engines/errors.js';
import { Rng } from '../util/rng.js';
import { key, value, SMALL } from './helpers.js';

const N = 200;
const TUNING = { ...SMALL, blockBytes: 512 };

/** A closed store whose keys all live in tables, and where each table's blocks are. */
function built(): { fs: MemoryFileSystem; blocks: Map<string, { offset: number; bytes: number; block: string }[]> } {
  const fs = new MemoryFileSystem();
  const blocks = new Map<string, { offset: number; bytes: number; block: string }[]>();
  const db = new LsmStore({
    ...TUNING,
    dir: '/db',
    fs,
    trace: (e: TraceEvent) => {
      if (e.type !== 'lsm.table.block') return;
      const list = blocks.get(e.file) ?? [];
      list.push({ offset: e.offset, bytes: e.bytes + (e.block === 'footer' ? 0 : 4), block: e.block });
      blocks.set(e.file, list);
    },
  });
  for (let i = 0; i < N; i++) db.put(key(i), value(i, 0, 40 + (i % 50)));
  db.compact();
  db.close();
  return { fs, blocks };
}

/** Reads every key and a full scan; each answer must be right or KV_CORRUPT. Returns how many were KV_CORRUPT. */
function verify(fs: MemoryFileSystem, where: string): number {
  let db: LsmStore;
  try {
    db = new LsmStore({ ...TUNING, dir: '/db', fs });
  } catch (e) {
    expect(isKVError(e, 'KV_CORRUPT'), `${where}: open threw ${String(e)}`).toBe(true);
    return 1;
  }
  let errors = 0;
  for (let i = 0; i < N; i++) {
    try {
      const v = db.get(key(i));
      expect(v && fromUtf8(v), `${where}: get ${i}`).toBe(fromUtf8(value(i, 0, 40 + (i % 50))));
    } catch (e) {
      if (!isKVError(e, 'KV_CORRUPT')) throw e;
      errors++;
    }
  }
  try {
    let i = 0;
    for (const [k, v] of db.scan()) {
      expect(fromUtf8(k), `${where}: scan`).toBe(fromUtf8(key(i)));
      expect(fromUtf8(v), `${where}: scan`).toBe(fromUtf8(value(i, 0, 40 + (i % 50))));
      i++;
    }
    expect(i, `${where}: scan length`).toBe(N);
  } catch (e) {
    if (!isKVError(e, 'KV_CORRUPT')) throw e;
    errors++;
  }
  db.close();
  return errors;
}

describe('lsm corruption', () => {
  it('a flipped bit in any SSTable block gives KV_CORRUPT or a correct answer, never a wrong value', () => {
    const { fs: base, blocks } = built();
    const tables = base.list('/db').filter((n) => n.endsWith('.sst'));
    expect(tables.length).toBeGreaterThan(0);
    const rng = new Rng(7);
    let flips = 0;
    let detected = 0;
    for (const t of tables) {
      const bytes = readWhole(base, `/db/${t}`);
      const layout = blocks.get(t)!;
      expect(layout.map((b) => b.block)).toContain('footer');
      // Every block of the table gets flips: its first and last byte, and random bytes in it.
      for (const b of layout) {
        const offsets = new Set([b.offset, b.offset + b.bytes - 1]);
        for (let j = 0; j < 1; j++) offsets.add(b.offset + rng.int(b.bytes));
        for (const o of offsets) {
          const fs = base.clone();
          const bad = bytes.slice();
          bad[o]! ^= 1 << rng.int(8);
          const h = fs.open(`/db/${t}`);
          h.write(0, bad);
          h.sync();
          h.close();
          flips++;
          if (verify(fs, `${t} ${b.block} block, byte ${o}`) > 0) detected++;
        }
      }
    }
    expect(flips).toBeGreaterThan(20);
    // A checksum covers every byte of a table, so every flip is caught when its block is read.
    expect(detected).toBe(flips);
  });
});
