/**
 * Exercise snapshot-checksum: a damaged snapshot file is refused with KV_CORRUPT naming the
 * file and the checksum's offset, never read back as wrong values.
 * Run: npm run exercise -- snapshot-checksum
 */
import { describe, expect, it } from 'vitest';
import { KVError, MemoryFileSystem, openStore } from '../../engines/index.js';

const DIR = '/db';
const FILE = '/db/snapshot.db';

/** A saved snapshot of a few pairs; returns the file system and the file's bytes. */
function saved(): { fs: MemoryFileSystem; bytes: Uint8Array } {
  const fs = new MemoryFileSystem();
  const db = openStore('snapshot', { dir: DIR, fs });
  db.put('alpha', 'one');
  db.put('beta', 'two');
  db.put('gamma', 'three'.repeat(10));
  db.close();
  const h = fs.open(FILE);
  const bytes = h.read(0, h.size());
  h.close();
  return { fs, bytes };
}

/** Writes `bytes` as the snapshot file, durably. */
function replace(fs: MemoryFileSystem, bytes: Uint8Array): void {
  const h = fs.open(FILE, { truncate: true });
  h.write(0, bytes);
  h.sync();
  h.close();
}

/** The error opening the store throws, or undefined if it opens. */
function openError(fs: MemoryFileSystem): KVError | undefined {
  try {
    openStore('snapshot', { dir: DIR, fs }).close();
    return undefined;
  } catch (e) {
    return e as KVError;
  }
}

describe('the snapshot checksum', () => {
  it('opens an undamaged file', () => {
    const { fs } = saved();
    expect(openError(fs)).toBeUndefined();
  });

  it('refuses a file with a flipped bit in any value or key byte, naming the checksum offset', () => {
    const { fs, bytes } = saved();
    const crcAt = bytes.length - 4;
    const text = new TextDecoder('latin1').decode(bytes);
    for (const word of ['one', 'two', 'three', 'alpha', 'gamma']) {
      const at = text.indexOf(word);
      expect(at).toBeGreaterThan(0);
      const damaged = bytes.slice();
      damaged[at + 1]! ^= 0x04;
      replace(fs, damaged);
      const e = openError(fs);
      expect(e, `a flipped bit in "${word}"`).toBeInstanceOf(KVError);
      expect(e!.code).toBe('KV_CORRUPT');
      expect(e!.message).toContain('snapshot.db');
      expect(e!.message).toContain(String(crcAt));
    }
  });

  it('refuses a file whose stored checksum is damaged', () => {
    const { fs, bytes } = saved();
    const damaged = bytes.slice();
    damaged[bytes.length - 2]! ^= 0x80;
    replace(fs, damaged);
    expect(openError(fs)?.code).toBe('KV_CORRUPT');
  });
});
