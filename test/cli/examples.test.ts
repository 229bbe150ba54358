/**
 * Every example runs, as a reader runs it (`npx tsx examples/…`), so none of them rots.
 * Each must exit 0 and print what its comment promises, on every engine that is built.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES } from '../../engines/kv.js';
import { BUILT, runNode } from './helpers.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kv-examples-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('examples', () => {
  for (const engine of BUILT) {
    it(`01-hello.ts says hello on the ${engine} engine, printing its trace`, () => {
      const r = runNode('examples/01-hello.ts', [engine, join(tmp, `hello-${engine}`)]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('→ put key=hello value=world');
      expect(r.stdout).toContain('=> world');
      expect(r.stdout).toContain('=> goodbye = moon');
      expect(r.stdout).toContain(`npx kv ${engine} `);
    });
  }

  it('02-on-disk.ts decodes the files of every engine after ten puts', () => {
    const r = runNode('examples/02-on-disk.ts', ['--hex']);
    expect(r.status).toBe(0);
    for (const engine of BUILT) expect(r.stdout).toContain(`${engine} store in `);
    expect(r.stdout).not.toContain('does not read');
    expect(r.stdout).toMatch(/00000000 {2}[0-9a-f]{2} /);
  });

  it('03-crash.ts shows that every engine keeps what was synced before the crash', () => {
    const r = runNode('examples/03-crash.ts', []);
    expect(r.status).toBe(0);
    for (const engine of BUILT) expect(r.stdout).toContain(`${engine}:\n  after sync:        apple=red banana=yellow`);
    expect(r.stdout.match(/= the state after the sync plus \d of the 3 unsynced writes/g)).toHaveLength(BUILT.length);
    expect(r.stdout).not.toContain('broken');
  });

  it('04-compare.ts prints the stats of every engine side by side', () => {
    const r = runNode('examples/04-compare.ts', []);
    expect(r.status).toBe(0);
    const header = r.stdout.split('\n').find((l) => l.includes('snapshot'))!;
    for (const engine of BUILT) expect(header).toContain(engine);
    expect(r.stdout).toMatch(/write amplification +\d/);
    if (BUILT.length === ENGINES.length) expect(r.stdout).not.toContain('not built');
  });

  for (const args of [[], ['lsm']]) {
    it(`05-memory-trace.ts counts the trace events of a store in memory${args.length ? ` (${args[0]})` : ''}`, () => {
      const r = runNode('examples/05-memory-trace.ts', args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\w+: \d+ trace events/);
      expect(r.stdout).toContain('io write');
      expect(r.stdout).toContain('files in /store:');
    });
  }
});
