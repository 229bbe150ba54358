import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { readWhole } from '../../engines/storage/fs.js';
import { KVError } from '../../engines/errors.js';
import { utf8 } from '../../engines/bytes.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A file system with /d/f holding `content`, fully durable. */
function withFile(content: string): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  fs.mkdir('/d');
  const f = fs.open('/d/f', { create: true });
  f.write(0, utf8(content));
  f.sync();
  f.close();
  fs.syncDir('/d');
  return fs;
}

describe('MemoryFileSystem', () => {
  it('reads, writes, appends, truncates like a file', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/a/b');
    const f = fs.open('/a/b/f', { create: true });
    expect(f.append(utf8('hello'))).toBe(0);
    expect(f.append(utf8(' world'))).toBe(5);
    f.write(20, utf8('!'));
    expect(f.size()).toBe(21);
    expect(text(f.read(0, 11))).toBe('hello world');
    expect([...f.read(11, 9)]).toEqual(new Array(9).fill(0));
    expect(f.read(19, 100).length).toBe(2);
    f.truncate(5);
    expect(text(readWhole(fs, '/a/b/f'))).toBe('hello');
    expect(fs.list('/a')).toEqual(['b']);
    expect(fs.list('/a/b')).toEqual(['f']);
  });

  it('throws KV_IO ENOENT for a missing file or directory', () => {
    const fs = new MemoryFileSystem();
    expect(() => fs.open('/nope')).toThrow(KVError);
    try {
      fs.open('/missing/dir/file', { create: true });
    } catch (e) {
      expect((e as KVError).code).toBe('KV_IO');
      expect((e as KVError).errno).toBe('ENOENT');
    }
  });

  it('rename replaces the target atomically; remove of a missing file is fine', () => {
    const fs = withFile('old');
    const t = fs.open('/d/t', { create: true });
    t.write(0, utf8('new'));
    fs.rename('/d/t', '/d/f');
    expect(text(readWhole(fs, '/d/f'))).toBe('new');
    expect(fs.exists('/d/t')).toBe(false);
    fs.remove('/d/none');
  });

  it('a power loss drops unsynced writes', () => {
    const fs = withFile('durable');
    const f = fs.open('/d/f');
    f.append(utf8(' and not'));
    fs.powerLoss();
    expect(text(readWhole(fs, '/d/f'))).toBe('durable');
  });

  it('a power loss keeps synced writes', () => {
    const fs = withFile('a');
    const f = fs.open('/d/f');
    f.append(utf8('b'));
    f.sync();
    f.append(utf8('c'));
    fs.powerLoss();
    expect(text(readWhole(fs, '/d/f'))).toBe('ab');
  });

  it('a power loss can keep a prefix of unsynced writes and tear the next one', () => {
    const fs = withFile('');
    const f = fs.open('/d/f');
    f.append(utf8('one,'));
    f.append(utf8('two,'));
    f.append(utf8('three'));
    expect(fs.pendingWrites()).toBe(3);
    expect(fs.pendingWriteLength(2)).toBe(5);
    fs.powerLoss({ keepWrites: 1, tornBytes: 2 });
    expect(text(readWhole(fs, '/d/f'))).toBe('one,tw');
  });

  it('a power loss forgets a new file whose directory was not synced', () => {
    const fs = withFile('x');
    const g = fs.open('/d/g', { create: true });
    g.write(0, utf8('data'));
    g.sync();
    fs.powerLoss();
    expect(fs.exists('/d/g')).toBe(false);
    expect(fs.exists('/d/f')).toBe(true);
  });

  it('a power loss undoes an unsynced rename and remove, and keeps synced ones', () => {
    const fs = withFile('v1');
    const t = fs.open('/d/t', { create: true });
    t.write(0, utf8('v2'));
    t.sync();
    fs.rename('/d/t', '/d/f');
    fs.powerLoss();
    expect(text(readWhole(fs, '/d/f'))).toBe('v1');
    const t2 = fs.open('/d/t', { create: true });
    t2.write(0, utf8('v2'));
    t2.sync();
    fs.rename('/d/t', '/d/f');
    fs.syncDir('/d');
    fs.remove('/d/f');
    fs.powerLoss();
    expect(text(readWhole(fs, '/d/f'))).toBe('v2');
  });

  it('handles opened before a power loss are dead after it', () => {
    const fs = withFile('x');
    const f = fs.open('/d/f');
    fs.powerLoss();
    expect(() => f.read(0, 1)).toThrow(KVError);
  });

  it('injects EIO and ENOSPC at a chosen call, and a failed write changes nothing', () => {
    const fs = withFile('abc');
    const f = fs.open('/d/f');
    fs.injectFault({ call: 'write', skip: 1, errno: 'ENOSPC' });
    f.write(3, utf8('d'));
    let err: KVError | undefined;
    try {
      f.write(4, utf8('e'));
    } catch (e) {
      err = e as KVError;
    }
    expect(err?.code).toBe('KV_IO');
    expect(err?.errno).toBe('ENOSPC');
    expect(text(f.read(0, 10))).toBe('abcd');
    f.write(4, utf8('e'));
    expect(text(f.read(0, 10))).toBe('abcde');
  });

  it('after a failed sync, the unsynced writes never become durable (as Linux behaves)', () => {
    const fs = withFile('a');
    const f = fs.open('/d/f');
    f.append(utf8('b'));
    fs.injectFault({ call: 'sync' });
    expect(() => f.sync()).toThrow(KVError);
    f.sync();
    expect(text(f.read(0, 10))).toBe('ab');
    fs.powerLoss();
    expect(text(readWhole(fs, '/d/f'))).toBe('a');
  });

  it('faults can target a path and repeat', () => {
    const fs = withFile('a');
    fs.injectFault({ call: 'any', path: '/d/g', times: Infinity });
    expect(() => fs.open('/d/g', { create: true })).toThrow(KVError);
    expect(() => fs.open('/d/g', { create: true })).toThrow(KVError);
    fs.open('/d/f').read(0, 1);
    fs.clearFaults();
    fs.open('/d/g', { create: true });
  });

  it('locks a directory until released, and a power loss releases every lock', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const l = fs.lock('/d');
    expect(() => fs.lock('/d')).toThrow(/already open/);
    l.release();
    fs.lock('/d');
    fs.powerLoss();
    fs.lock('/d');
  });

  it('counts calls for fail-the-nth-call campaigns', () => {
    const fs = new MemoryFileSystem();
    const before = fs.calls;
    fs.mkdir('/d');
    fs.open('/d/f', { create: true }).write(0, utf8('x'));
    expect(fs.calls - before).toBe(4); // mkdir, create, open, write
    expect(fs.mutations).toBe(2);
  });
});

describe('MemoryFileSystem disk states for the reliability campaign', () => {
  it('keepSector lands any subset of 512-byte sectors of the pending writes', () => {
    const fs = withFile('');
    const f = fs.open('/d/f');
    f.write(0, new Uint8Array(1500).fill(7));
    fs.powerLoss({ keepSector: (_w, s) => s === 512 });
    const b = readWhole(fs, '/d/f');
    expect(b.length).toBe(1024);
    expect(b.subarray(0, 512).every((x) => x === 0)).toBe(true);
    expect(b.subarray(512).every((x) => x === 7)).toBe(true);
  });

  it('keepDirChanges keeps unsynced creates and renames', () => {
    const fs = withFile('x');
    const g = fs.open('/d/g', { create: true });
    g.write(0, utf8('g'));
    g.sync();
    fs.rename('/d/f', '/d/h');
    fs.powerLoss({ keepDirChanges: true });
    expect(fs.list('/d')).toEqual(['g', 'h']);
    expect(text(readWhole(fs, '/d/g'))).toBe('g');
  });

  it('keepFileWrites lets each file keep its own prefix: a newer file on disk while an older one lost its write', () => {
    const fs = withFile('a');
    fs.open('/d/f').append(utf8('b'));
    const g = fs.open('/d/g', { create: true });
    fs.syncDir('/d');
    g.write(0, utf8('new'));
    expect([...fs.pendingByFile().entries()]).toEqual([
      ['/d/f', 1],
      ['/d/g', 1],
    ]);
    fs.powerLoss({ keepFileWrites: (file, n) => (file === '/d/g' ? n : 0) });
    expect(text(readWhole(fs, '/d/f'))).toBe('a');
    expect(text(readWhole(fs, '/d/g'))).toBe('new');
  });

  it('zeroExtend leaves a lost append as zeros: the size survived, the data did not', () => {
    const fs = withFile('ab');
    fs.open('/d/f').append(utf8('cd'));
    fs.powerLoss({ zeroExtend: true });
    expect([...readWhole(fs, '/d/f')]).toEqual([97, 98, 0, 0]);
  });

  it('keepDirEntry keeps some unsynced directory changes and not others: a rename without the create before it', () => {
    const fs = withFile('x');
    const g = fs.open('/d/g', { create: true });
    g.write(0, utf8('g'));
    g.sync();
    fs.rename('/d/f', '/d/h');
    expect(fs.changedEntries()).toEqual(['/d/f', '/d/g', '/d/h']);
    fs.powerLoss({ keepDirEntry: (p) => p !== '/d/g' });
    expect(fs.list('/d')).toEqual(['h']);
    expect(text(readWhole(fs, '/d/h'))).toBe('x');
  });

  it('digest tells disk states apart by every path and byte', () => {
    const a = withFile('abc');
    const b = withFile('abc');
    expect(a.digest()).toBe(b.digest());
    b.open('/d/f').write(1, utf8('B'));
    expect(a.digest()).not.toBe(b.digest());
    a.rename('/d/f', '/d/g');
    expect(a.digest()).not.toBe(withFile('abc').digest());
  });

  it('a mutate fault fails the nth call that changes the disk', () => {
    const fs = withFile('x');
    const f = fs.open('/d/f');
    fs.injectFault({ call: 'mutate', skip: 1, times: Infinity });
    f.read(0, 1);
    f.append(utf8('y'));
    expect(() => f.read(0, 1)).not.toThrow();
    expect(() => f.sync()).toThrow(KVError);
    expect(() => fs.remove('/d/f')).toThrow(KVError);
  });

  it('skipSync turns a chosen sync site into a no-op and syncSites records sites', () => {
    const fs = withFile('a');
    fs.trackSyncSites = true;
    fs.skipSync = () => true;
    const f = fs.open('/d/f');
    f.append(utf8('b'));
    f.sync();
    fs.powerLoss();
    expect(text(readWhole(fs, '/d/f'))).toBe('a');
    expect([...fs.syncSites.keys()].length).toBe(1);
  });
});

describe('MemoryFileSystem simulated crashes', () => {
  it('a crash at a sync leaves the writes pending for the power loss to keep or drop', () => {
    const fs = withFile('a');
    const f = fs.open('/d/f');
    f.append(utf8('b'));
    fs.injectFault({ call: 'sync', crash: true });
    let err: KVError | undefined;
    try {
      f.sync();
    } catch (e) {
      err = e as KVError;
    }
    expect(err?.errno).toBe('ECRASH');
    expect(fs.pendingWrites()).toBe(1);
    fs.powerLoss({ keepWrites: 1 });
    expect(text(readWhole(fs, '/d/f'))).toBe('ab');
  });
});
