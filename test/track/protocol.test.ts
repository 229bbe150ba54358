/**
 * protocol.test.ts: the JSON-lines process protocol grades an engine in another language: the
 * Python reference client passes the model test and the SIGKILL test, and an engine that
 * forgets deletes at restart fails the model test with a short program.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { processKillTest, processModelTest } from '../../track/protocol/tests.js';
import { showStep } from '../../track/grade/program.js';
import { ROOT } from '../../track/learners.js';

/** The python3 interpreter's own path (not a version manager's shim, which costs ~0.5 s a start), or undefined. */
function python(): string | undefined {
  try {
    return (
      execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

const PY = python();
const PYTHON = [PY ?? 'python3', join(ROOT, 'track/protocol/python/kvstore.py')];

/**
 * A deliberately wrong engine in Node speaking the protocol: it keeps pairs in a JSON file
 * rewritten at every sync and close, and writes deletes to memory only, so a deleted key
 * comes back after a restart.
 */
const FORGETFUL = `
const fs = require('fs'), path = require('path'), rl = require('readline');
const dir = process.argv[1]; fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'data.json');
const saved = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const m = new Map(Object.entries(saved));
const save = () => { const o = JSON.parse(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '{}'); for (const [k, v] of m) o[k] = v; fs.writeFileSync(file, JSON.stringify(o)); };
console.log(JSON.stringify({ ready: true, engine: 'forgetful' }));
rl.createInterface({ input: process.stdin }).on('line', (line) => {
  const r = JSON.parse(line); const out = { id: r.id, ok: true };
  const put = (k, v) => m.set(k, v), del = (k) => m.delete(k);
  if (r.op === 'put') put(r.key, r.value);
  else if (r.op === 'delete') del(r.key);
  else if (r.op === 'batch') for (const o of r.ops) o.type === 'put' ? put(o.key, o.value) : del(o.key);
  else if (r.op === 'get') out.value = m.has(r.key) ? m.get(r.key) : null;
  else if (r.op === 'scan') {
    let ks = [...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a, 'hex'), Buffer.from(b, 'hex')));
    ks = ks.filter((k) => (r.gt === undefined || Buffer.compare(Buffer.from(k, 'hex'), Buffer.from(r.gt, 'hex')) > 0) && (r.gte === undefined || Buffer.compare(Buffer.from(k, 'hex'), Buffer.from(r.gte, 'hex')) >= 0) && (r.lt === undefined || Buffer.compare(Buffer.from(k, 'hex'), Buffer.from(r.lt, 'hex')) < 0) && (r.lte === undefined || Buffer.compare(Buffer.from(k, 'hex'), Buffer.from(r.lte, 'hex')) <= 0));
    if (r.reverse) ks.reverse(); if (r.limit !== undefined && r.limit >= 0) ks = ks.slice(0, r.limit);
    out.pairs = ks.map((k) => [k, m.get(k)]);
  } else if (r.op === 'sync' || r.op === 'compact' || r.op === 'close') save();
  console.log(JSON.stringify(out));
  if (r.op === 'close') process.exit(0);
});
`;

describe.skipIf(PY === undefined)('the process protocol', () => {
  it('grades the Python reference client: it agrees with the model across restarts', async () => {
    const v = await processModelTest(PYTHON, 1, 200);
    expect(v.failure?.message).toBeUndefined();
    expect(v.steps).toBe(200);
  });

  it('grades the Python reference client: every SIGKILL recovers a prefix holding every synced write', async () => {
    const v = await processKillTest(PYTHON, 5);
    expect(v.failure?.problem).toBeUndefined();
    expect(v.kills).toBe(5);
  });

  it('fails an engine that forgets deletes at restart, with a shrunk program that shows it', async () => {
    const v = await processModelTest([process.execPath, '-e', FORGETFUL], 6, 80, 31, 40);
    expect(v.failure).toBeDefined();
    const lines = v.failure!.program.map(showStep);
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines.some((l) => l.startsWith('delete') || l.includes('delete'))).toBe(true);
  });
});
