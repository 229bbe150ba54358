/**
 * close-at-exit.test.ts: what a script expects at exit. A script that puts 100 keys and ends
 * without close() (running out of work, or calling process.exit) keeps all 100 on every
 * engine, because the Node entry closes the stores still open at exit. A crash (an uncaught
 * exception) closes nothing, so only the durability rule holds there. A store whose close
 * fails at exit does not stop the others from being closed.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, MemoryFileSystem, openStore, type EngineName, type StoreOptions } from '../../engines/index.js';
import { storesOpenAtExit } from '../../engines/index.js';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'kv-exit-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

/** Small tunings, so the 100 puts also cross files, pages and memtables; and the defaults. */
const TUNINGS: Record<EngineName, Partial<StoreOptions>> = {
  snapshot: {},
  bitcask: { maxFileBytes: 512 },
  btree: { pageSize: 512, cachePages: 64 },
  lsm: { memtableBytes: 512, blockBytes: 128 },
};

/** Runs the child script; returns its exit status and stderr. */
function child(
  engine: EngineName,
  dir: string,
  how: string,
  tuning: Partial<StoreOptions>,
  doomed?: string,
): { status: number | null; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', CHILD, engine, dir, how, JSON.stringify(tuning), ...(doomed ? [doomed] : [])],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: r.status, stderr: r.stderr };
}

/** The keys k000.. present in the store at `dir`, after checking each holds its value. */
function keysIn(engine: EngineName, dir: string, tuning: Partial<StoreOptions>): number {
  const db = openStore(engine, { dir, ...tuning });
  try {
    const keys = [...db.scan()].map(([k, v]) => {
      const key = new TextDecoder().decode(k);
      expect(new TextDecoder().decode(v)).toBe(`value ${Number(key.slice(1))}`);
      return key;
    });
    // Always a prefix of the puts, in order: k000, k001, ...
    expect(keys).toEqual(Array.from({ length: keys.length }, (_, i) => `k${String(i).padStart(3, '0')}`));
    return keys.length;
  } finally {
    db.close();
  }
}

describe('a script that ends without close()', () => {
  for (const engine of ENGINES) {
    for (const [label, tuning] of [
      ['default', {}],
      ['small', TUNINGS[engine]],
    ] as const) {
      it(`keeps all 100 unsynced puts on ${engine} (${label} tuning) when it runs out of work or calls process.exit()`, () => {
        for (const how of ['return', 'exit']) {
          const dir = join(base, `${engine}-${label}-${how}-${n++}`);
          const r = child(engine, dir, how, tuning);
          expect(r.stderr, how).toBe('');
          expect(r.status, how).toBe(0);
          expect(keysIn(engine, dir, tuning), how).toBe(100);
        }
      });
    }
  }

  it('closes nothing when an uncaught exception ends it: a crash keeps only what the durability rule promises', () => {
    for (const engine of ENGINES) {
      const dir = join(base, `${engine}-throw-${n++}`);
      const r = child(engine, dir, 'throw', {});
      expect(r.status, engine).toBe(1);
      expect(r.stderr, engine).toMatch(/the script crashed after its puts/);
      // Nothing was synced, so any prefix is allowed; the snapshot engine, which saves only at
      // sync or close, shows that close did not run: it keeps none.
      const kept = keysIn(engine, dir, {});
      expect(kept, engine).toBeLessThanOrEqual(100);
      if (engine === 'snapshot') expect(kept).toBe(0);
    }
  });

  it('closes the other stores when one store fails to close at exit, and says which failed', () => {
    for (const engine of ENGINES) {
      const dir = join(base, `${engine}-beside-a-failing-store-${n++}`);
      const r = child(engine, dir, 'return', TUNINGS[engine], join(base, `doomed-${n++}`));
      expect(r.status, engine).toBe(0);
      expect(r.stderr, engine).toMatch(/closing a snapshot store at exit failed/);
      expect(keysIn(engine, dir, TUNINGS[engine]), engine).toBe(100);
    }
  });
});

describe('the registry of stores to close at exit', () => {
  it('holds each store on real files from open until close, even a close that throws, and no store on a memory file system', () => {
    const before = storesOpenAtExit();
    const dir = join(base, `registry-${n++}`);
    const a = openStore('bitcask', { dir });
    const b = openStore('lsm', { dir: join(dir, 'second') });
    const m = openStore('btree', { dir: '/m', fs: new MemoryFileSystem() });
    expect(storesOpenAtExit()).toBe(before + 2);
    a.put('k', 'v');
    a.close();
    expect(storesOpenAtExit()).toBe(before + 1);
    a.close();
    expect(storesOpenAtExit()).toBe(before + 1);
    // A close that throws (its directory is gone) still takes the store off the list.
    b.put('k', 'v');
    rmSync(join(dir, 'second'), { recursive: true, force: true });
    try {
      b.close();
    } catch {
      // The store could not write its last files; it is closed all the same.
    }
    expect(storesOpenAtExit()).toBe(before);
    m.close();
    expect(storesOpenAtExit()).toBe(before);
  });
});
