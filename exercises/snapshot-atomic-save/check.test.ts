/**
 * Exercise snapshot-atomic-save: a power cut at any instant of a save leaves either the old
 * snapshot or the new one, whole. Run: npm run exercise -- snapshot-atomic-save
 */
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, openStore, utf8 } from '../../engines/index.js';

const DIR = '/db';
const OLD = { a: 'apple', b: 'banana', c: 'cherry' };
const NEW = { a: 'apricot', b: 'banana', d: 'date'.repeat(300) };

/** The store's pairs as a plain object. */
function contents(fs: MemoryFileSystem): Record<string, string> {
  const db = openStore('snapshot', { dir: DIR, fs });
  const out: Record<string, string> = {};
  for (const [k, v] of db.scan()) out[new TextDecoder().decode(k)] = new TextDecoder().decode(v);
  db.close();
  return out;
}

/** A file system holding OLD, saved, and a store on it that has NEW in memory, unsaved. */
function setUp(): { fs: MemoryFileSystem; save: () => void; close: () => void } {
  const fs = new MemoryFileSystem();
  const db = openStore('snapshot', { dir: DIR, fs });
  for (const [k, v] of Object.entries(OLD)) db.put(k, v);
  db.sync();
  db.delete('c');
  for (const [k, v] of Object.entries(NEW)) db.put(utf8(k), v);
  return { fs, save: () => db.sync(), close: () => db.close() };
}

/** How many disk-changing calls one save makes. */
function callsPerSave(): number {
  const { fs, save } = setUp();
  const before = fs.mutations;
  save();
  return fs.mutations - before;
}

describe('an atomic snapshot save', () => {
  it('saves: a reopen sees the new state, and no temp file is left', () => {
    const { fs, save, close } = setUp();
    save();
    close();
    expect(contents(fs)).toEqual(NEW);
    expect(fs.list(DIR).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves the old or the new snapshot whole after a power cut at any point of a save', () => {
    const calls = callsPerSave();
    expect(calls).toBeGreaterThan(0);
    for (let stop = 0; stop <= calls; stop++) {
      for (const torn of [undefined, 0, 7, 40]) {
        for (const keepWrites of [0, 1, 2, 3]) {
          const { fs, save } = setUp();
          // The save's disk calls from number `stop` on fail, as if the power went then.
          fs.injectFault({ call: 'mutate', skip: stop, times: Infinity });
          try {
            save();
          } catch {
            // The failing disk stopped it; that is the crash.
          }
          fs.clearFaults();
          fs.powerLoss({ keepWrites, ...(torn !== undefined ? { tornBytes: torn } : {}) });
          let got: Record<string, string> | string;
          try {
            got = contents(fs);
          } catch (e) {
            got = `open failed: ${(e as Error).message}`;
          }
          const where = `power cut after ${stop} calls of the save, keepWrites ${keepWrites}, torn ${String(torn)}`;
          expect([JSON.stringify(OLD), JSON.stringify(NEW)], where).toContain(JSON.stringify(got));
        }
      }
    }
  });
});
