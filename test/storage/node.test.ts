import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { NodeFileSystem, LOCK_FILE } from '../../engines/storage/node.js';
import { KVError } from '../../engines/errors.js';
import { utf8 } from '../../engines/bytes.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('NodeFileSystem', () => {
  let dir: string;
  const fs = new NodeFileSystem();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kv-nodefs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads, writes, appends, truncates and syncs real files', () => {
    const p = join(dir, 'f');
    const f = fs.open(p, { create: true });
    expect(f.append(utf8('hello'))).toBe(0);
    f.write(5, utf8(' world'));
    f.sync();
    expect(f.size()).toBe(11);
    expect(text(f.read(0, 100))).toBe('hello world');
    f.truncate(5);
    expect(f.size()).toBe(5);
    f.close();
    f.close();
    expect(readFileSync(p, 'utf8')).toBe('hello');
    expect(fs.fileSize(p)).toBe(5);
  });

  it('lists, renames over, removes, and syncs directories', () => {
    fs.mkdir(join(dir, 'sub'));
    fs.open(join(dir, 'sub', 'a'), { create: true }).close();
    const b = fs.open(join(dir, 'sub', 'b'), { create: true });
    b.write(0, utf8('b'));
    b.close();
    fs.rename(join(dir, 'sub', 'b'), join(dir, 'sub', 'a'));
    expect(fs.list(join(dir, 'sub'))).toEqual(['a']);
    expect(readFileSync(join(dir, 'sub', 'a'), 'utf8')).toBe('b');
    fs.syncDir(join(dir, 'sub'));
    fs.remove(join(dir, 'sub', 'a'));
    fs.remove(join(dir, 'sub', 'a'));
    expect(fs.list(join(dir, 'sub'))).toEqual([]);
  });

  it('reports a missing file as KV_IO with errno ENOENT', () => {
    try {
      fs.open(join(dir, 'missing'));
      expect.unreachable();
    } catch (e) {
      expect((e as KVError).code).toBe('KV_IO');
      expect((e as KVError).errno).toBe('ENOENT');
    }
  });

  it('locks a directory against a second open in this process', () => {
    const l = fs.lock(dir);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(() => fs.lock(dir)).toThrow(/already open in this process/);
    l.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    fs.lock(dir).release();
  });

  it('refuses a lock held by another live process', async () => {
    // A child process writes its pid into the lock file and stays alive.
    const child = spawn(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(join(dir, LOCK_FILE))}, process.pid + '\\n'); setTimeout(() => {}, 30000)`,
    ]);
    try {
      await new Promise<void>((resolve) => {
        const poll = () =>
          existsSync(join(dir, LOCK_FILE)) && readFileSync(join(dir, LOCK_FILE), 'utf8').includes('\n')
            ? resolve()
            : setTimeout(poll, 20);
        poll();
      });
      expect(() => fs.lock(dir)).toThrow(new RegExp(`another process \\(pid ${child.pid}\\)`));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that died', () => {
    // Run a process to completion to get a pid that is surely dead, and leave its lock.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
    const l = fs.lock(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    l.release();
  });
});
