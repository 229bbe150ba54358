/**
 * The `kv` command as a user runs it: a child process per command, checking what it prints
 * and the exit status a script would test, on every engine that is built.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { NodeFileSystem } from '../../engines/storage/node.js';
import { toolsFor } from '../../cli/engines/index.js';
import { BUILT, ROOT, corruptLiveRecord, kv, runNode } from './helpers.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kv-cli-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The ANSI escape that starts a colour. */
const ESC = '\u001b[';

// Every command's output and status on every engine is tested in-process (main.test.ts,
// commands.test.ts); here a few real processes prove the wiring: argv, stdin, stdout,
// stderr, exit codes, colour on a real stream, and the bin launcher.
for (const engine of BUILT) {
  it(`kv ${engine} <dir> runs a script from stdin: batch, scan, trace, stats, inspect${toolsFor(engine) ? ', dump, check' : ''}`, () => {
    const dir = join(tmp, `${engine}-script`);
    const tools = toolsFor(engine) ? ['dump --hex', 'check'] : [];
    const script = [
      'put a 1',
      'batch',
      'put b 2',
      'put c "three words"',
      'delete a',
      'commit',
      'scan',
      'scan b --limit 1 --json',
      'sync',
      'compact',
      'stats',
      'inspect',
      ...tools,
      'trace on',
      'get c',
      'exit',
    ];
    const r = kv([engine, dir], { input: script.join('\n') });
    expect(r.stderr).not.toContain('error');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['b\t2', 'c\tthree words']);
    expect(r.stdout).toContain('"key": "b"');
    expect(r.stdout).toContain(`${engine} store in ${dir}`);
    if (tools.length) expect(r.stdout).toContain('the store is sound');
    expect(r.stderr).toContain('→ get key=c');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('three words');
  });
}

describe('kv snapshot <dir> <command> as a process', () => {
  it('puts and gets with exit status 0, and exits 1 for a missing key', () => {
    const dir = join(tmp, 'snapshot-basic');
    expect(kv(['snapshot', dir, 'put', 'apple', 'red'])).toMatchObject({ status: 0, stdout: '' });
    expect(kv(['snapshot', dir, 'get', 'apple'])).toMatchObject({ status: 0, stdout: 'red\n' });
    const missing = kv(['snapshot', dir, 'get', 'pear']);
    expect(missing).toMatchObject({ status: 1, stdout: '' });
    expect(missing.stderr).toContain('(not found)');
  });

  it('colours trace lines on stderr only when asked: FORCE_COLOR on, NO_COLOR off', () => {
    const dir = join(tmp, 'snapshot-colour');
    const coloured = kv(['snapshot', dir, '--trace', 'put', 'k', 'v'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stderr).toContain(ESC);
    const plain = kv(['snapshot', dir, '--trace', 'get', 'k'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stderr).not.toContain(ESC);
    expect(plain.stderr.split('\n')[0]).toBe('→ open');
    expect(plain.stdout).toBe('v\n');
  });

  it('checks a damaged store with exit status 4, naming the file and offset', () => {
    const dir = join(tmp, 'snapshot-damaged');
    kv(['snapshot', dir, 'batch', 'put', 'needle', 'haystack', 'put', 'other', 'value']);
    const hit = corruptLiveRecord('snapshot', new NodeFileSystem(), dir, 'needle');
    const check = kv(['snapshot', dir, 'check']);
    expect(check.status).toBe(4);
    expect(check.stdout).toContain(`✗ ${hit.file} at byte offset`);
  });
});

describe('kv itself', () => {
  it('prints help with exit status 0', () => {
    const r = kv(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('kv <engine> <dir>');
    expect(r.stdout).toContain('exit status');
  });

  it('exits 2 with a hint for an unknown engine', () => {
    const r = kv(['mysql', 'd']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('choose one of snapshot, bitcask, btree, lsm');
    expect(r.stderr).toContain('kv --help');
  });

  it('refuses a read-only command on a directory that does not exist, and creates nothing', () => {
    const dir = join(tmp, 'nothing-here');
    const r = kv(['snapshot', dir, 'scan']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('no store at');
    expect(new NodeFileSystem().exists(dir)).toBe(false);
  });

  it('runs through the bin launcher that npx uses', () => {
    const r = runNode('cli/bin/kv.mjs', ['snapshot', join(tmp, 'bin'), 'put', 'k', 'v']);
    expect(r.status).toBe(0);
    const npx = spawnSync('npx', ['--no-install', 'kv', 'snapshot', join(tmp, 'bin'), 'get', 'k'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(npx.stdout).toBe('v\n');
    expect(npx.status).toBe(0);
  });
});
