/**
 * The whole `kv` command run in-process (main.ts) on the memory file system: the same code
 * path as the child process, so every command's exit status is tested on every engine
 * without the cost of starting Node each time.
 */
import { describe, it, expect } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { main } from '../../cli/main.js';
import { toolsFor } from '../../cli/engines/index.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { BUILT, corruptLiveRecord } from './helpers.js';

/** A stream that keeps what is written to it. */
function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

/** Runs `kv …argv` on `fs` with `input` on stdin. */
async function run(fs: MemoryFileSystem, argv: string[], input = '', env: Record<string, string> = {}) {
  const stdout = sink();
  const stderr = sink();
  const status = await main(argv, {
    stdin: Readable.from([input]),
    stdout,
    stderr,
    env: { KV_HISTORY: '', ...env },
    fs,
    readStdin: () => input,
  });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

for (const engine of BUILT) {
  describe(`kv ${engine} in-process`, () => {
    it('exits 0 for writes and reads, 1 for a missing key, and prints values in full', async () => {
      const fs = new MemoryFileSystem();
      expect(await run(fs, [engine, '/db', 'put', 'k', 'a value with spaces'])).toMatchObject({
        status: 0,
        stdout: '',
      });
      expect(await run(fs, [engine, '/db', 'get', 'k'])).toMatchObject({ status: 0, stdout: 'a value with spaces\n' });
      expect(await run(fs, [engine, '/db', 'get', 'nope'])).toMatchObject({ status: 1, stdout: '' });
      expect(await run(fs, [engine, '/db', 'delete', 'k'])).toMatchObject({ status: 0 });
      expect(await run(fs, [engine, '/db', 'get', 'k'])).toMatchObject({ status: 1 });
    });

    it('applies a batch read from stdin, and scans with --limit and --reverse', async () => {
      const fs = new MemoryFileSystem();
      expect((await run(fs, [engine, '/db', 'batch'], 'put a 1\nput b 2\nput c 3\n')).status).toBe(0);
      expect((await run(fs, [engine, '/db', 'scan', '--reverse', '--limit', '2'])).stdout).toBe('c\t3\nb\t2\n');
      expect((await run(fs, [engine, '/db', 'scan', 'b'])).stdout).toBe('b\t2\nc\t3\n');
      expect((await run(fs, [engine, '/db', 'batch'], 'put a\n')).status).toBe(2);
    });

    it('syncs and compacts, and reports stats and inspect as text and JSON', async () => {
      const fs = new MemoryFileSystem();
      await run(fs, [engine, '/db', 'put', 'k', 'v']);
      for (const cmd of ['sync', 'compact', 'stats', 'inspect'])
        expect((await run(fs, [engine, '/db', cmd])).status).toBe(0);
      expect(JSON.parse((await run(fs, [engine, '/db', 'stats', '--json'])).stdout)).toMatchObject({
        engine,
        liveKeys: 1,
      });
      expect(JSON.parse((await run(fs, [engine, '/db', 'inspect', '--json'])).stdout)).toMatchObject({ engine });
    });

    it('passes tuning options to the engine, and a bad one is a store error', async () => {
      const fs = new MemoryFileSystem();
      const r = await run(fs, [
        engine,
        '/db',
        '-o',
        'pageSize=3',
        '-o',
        'maxFileBytes=-1',
        '-o',
        'memtableBytes=-1',
        '-o',
        'autosaveEvery=-1',
        'put',
        'k',
        'v',
      ]);
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/KV_BAD_OPTION/);
    });

    it('prints trace lines on stderr with --trace, with colour only when forced', async () => {
      const fs = new MemoryFileSystem();
      const plain = await run(fs, [engine, '/db', '--trace', 'put', 'k', 'v']);
      expect(plain.stderr.split('\n')).toContain('→ put key=k value=v');
      expect(plain.stderr).not.toContain('\u001b[');
      expect((await run(fs, [engine, '/db', '--trace', 'get', 'k'], '', { FORCE_COLOR: '1' })).stderr).toContain(
        '\u001b[',
      );
      expect(
        (await run(fs, [engine, '/db', '--trace', '--no-color', 'get', 'k'], '', { FORCE_COLOR: '1' })).stderr,
      ).not.toContain('\u001b[');
    });

    it('runs a piped script at the prompt and exits with its last failure', async () => {
      const fs = new MemoryFileSystem();
      const ok = await run(fs, [engine, '/db'], 'put a 1\nbatch\nput b 2\ncommit\nscan\nget zzz\n');
      expect(ok).toMatchObject({ status: 0, stdout: 'a\t1\nb\t2\n' });
      const bad = await run(fs, [engine, '/db'], 'put "x\nget a\n');
      expect(bad.status).toBe(2);
      expect(bad.stdout).toBe('1\n');
    });

    it.skipIf(!toolsFor(engine))(
      'dumps and checks with exit 0 when sound and 4 when damaged, and a get of the damaged record exits 4',
      async () => {
        const fs = new MemoryFileSystem();
        await run(
          fs,
          [engine, '/db', 'batch'],
          Array.from({ length: 20 }, (_, i) => `put key${i} value${i}`).join('\n') + '\nput needle haystack\n',
        );
        await run(fs, [engine, '/db', 'put', 'last', 'write']);
        expect((await run(fs, [engine, '/db', 'dump', '--hex'])).status).toBe(0);
        expect(await run(fs, [engine, '/db', 'check'])).toMatchObject({ status: 0 });
        const hit = corruptLiveRecord(engine, fs, '/db', 'needle');
        const check = await run(fs, [engine, '/db', 'check']);
        expect(check.status).toBe(4);
        expect(check.stdout).toContain(`✗ ${hit.file} at byte offset`);
        expect((await run(fs, [engine, '/db', 'check', '--json'])).stdout).toContain('"sound": false');
        expect((await run(fs, [engine, '/db', 'dump'])).status).toBe(0);
        // The store refuses the damaged record: KV_CORRUPT, exit 4, and a hint to run check.
        const get = await run(fs, [engine, '/db', 'get', 'needle']);
        expect(get.status).toBe(4);
        expect(get.stdout).toBe('');
        expect(get.stderr).toMatch(/KV_CORRUPT[^\n]*\n.*check/);
      },
    );
  });
}

describe('kv in-process, any engine', () => {
  it('says the lock is held when the store is open elsewhere, with exit status 3', async () => {
    const fs = new MemoryFileSystem();
    const lock = fs.lock('/db');
    const r = await run(fs, ['snapshot', '/db', 'put', 'k', 'v']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/KV_LOCKED/);
    lock.release();
  });

  it('keeps dump and check off a locked directory too', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/db');
    const lock = fs.lock('/db');
    expect((await run(fs, ['snapshot', '/db', 'check'])).status).toBe(3);
    lock.release();
    expect((await run(fs, ['snapshot', '/db', 'check'])).status).toBe(0);
  });
});

describe('kv in-process, the command line itself', () => {
  it('exits 2 with a hint for a missing engine or directory, an unknown command or flag', async () => {
    const fs = new MemoryFileSystem();
    for (const argv of [
      [],
      ['mysql', '/db'],
      ['snapshot'],
      ['snapshot', '/db', 'frob'],
      ['snapshot', '/db', 'get', 'k', '--frob'],
      ['snapshot', '/db', 'trace', 'on'],
    ]) {
      const r = await run(fs, argv);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
    }
  });

  it('prints the help with exit status 0', async () => {
    const r = await run(new MemoryFileSystem(), ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('exit status: 0 ok; 1 get found no such key');
  });
});
