/**
 * kv check on the B+tree's meta pages and shutdown flag follows open's rules: after a crash
 * (flag D) a torn meta write is survivable (open falls back to the other page); after a clean
 * close (flag C), or when the damage cannot be a tear, it is not.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { openWith } from '../../engines/registry.js';
import { btreeTools } from '../../cli/engines/btree.js';

/** A closed store with a few commits, and the slot of the older meta page. */
function store(): { fs: MemoryFileSystem; older: number } {
  const fs = new MemoryFileSystem();
  const db = openWith('btree', { dir: '/db', fs, pageSize: 512 });
  for (let i = 0; i < 40; i++) db.put(`k${i}`, `v${i}`);
  db.sync();
  db.put('last', 'one');
  db.close();
  const h = fs.open('/db/btree.db');
  const txid = (slot: number) => new DataView(h.read(slot * 512 + 32, 4).buffer).getUint32(0, true);
  const older = txid(0) < txid(1) ? 0 : 1;
  h.close();
  return { fs, older };
}

/** Overwrites bytes of btree.db at `at`. */
function write(fs: MemoryFileSystem, at: number, bytes: Uint8Array): void {
  const h = fs.open('/db/btree.db');
  h.write(at, bytes);
  h.sync();
  h.close();
}

describe('kv check on btree meta pages', () => {
  it('after a crash (shutdown flag D), finds a torn older meta page survivable, with a note', () => {
    const { fs, older } = store();
    write(fs, 88, Uint8Array.of(0x44));
    write(fs, older * 512 + 40, Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03));
    const r = btreeTools.check(fs, '/db');
    expect(r.sound).toBe(true);
    expect(r.notes.join('\n')).toMatch(new RegExp(`meta page ${older} is not valid`));
    expect(r.notes.join('\n')).toMatch(/shutdown flag 'D'/);
  });

  it('after a clean close (shutdown flag C), reports the same damage to the older meta page', () => {
    const { fs, older } = store();
    write(fs, older * 512 + 40, Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03));
    const r = btreeTools.check(fs, '/db');
    expect(r.sound).toBe(false);
    expect(r.problem).toMatchObject({ file: 'btree.db', offset: older * 512 });
  });

  it('reports a shutdown flag that is neither C nor D', () => {
    const { fs } = store();
    write(fs, 88, Uint8Array.of(0x45));
    const r = btreeTools.check(fs, '/db');
    expect(r.problem).toMatchObject({ file: 'btree.db', offset: 88 });
  });

  it('refuses a zeroed meta page, as open does', () => {
    const { fs, older } = store();
    write(fs, older * 512, new Uint8Array(88));
    const r = btreeTools.check(fs, '/db');
    expect(r.sound).toBe(false);
    expect(r.problem).toMatchObject({ file: 'btree.db', offset: older * 512 });
    expect(r.problem!.what).toMatch(/closed cleanly/);
  });

  it('refuses a zeroed meta page after a crash too: no torn write leaves zeros', () => {
    const { fs, older } = store();
    write(fs, 88, Uint8Array.of(0x44));
    write(fs, older * 512, new Uint8Array(88));
    const r = btreeTools.check(fs, '/db');
    expect(r.sound).toBe(false);
    expect(r.problem).toMatchObject({ file: 'btree.db', offset: older * 512 });
    expect(r.problem!.what).toMatch(/not what a torn commit leaves/);
  });

  it('refuses a file with no valid meta page, naming meta page 0', () => {
    const { fs } = store();
    write(fs, 0, new Uint8Array(8).fill(7));
    write(fs, 512, new Uint8Array(8).fill(7));
    const r = btreeTools.check(fs, '/db');
    expect(r.sound).toBe(false);
    expect(r.problem!.offset).toBe(0);
  });
});
