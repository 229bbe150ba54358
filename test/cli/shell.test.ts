/**
 * The prompt on a terminal (shell.ts), driven in-process through streams that claim to be
 * a terminal: banner, prompt, history saved to its file, completion, and leaving cleanly.
 */
import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShell, complete } from '../../cli/shell.js';
import { loadHistory, saveHistory, historyPath, MAX_HISTORY } from '../../cli/history.js';
import { memorySession } from './helpers.js';

/** Feeds `lines` to the shell as typed on a terminal, then Ctrl-D; returns status and screen text. */
async function typeInto(lines: string[], historyFile?: string) {
  const { session, output, fs } = memorySession('snapshot', { chatty: true });
  const input = new PassThrough();
  const screen = new PassThrough();
  let text = '';
  screen.on('data', (c) => (text += String(c)));
  const done = runShell(session, { input, output: screen, terminal: true, ...(historyFile ? { historyFile } : {}) });
  for (const l of lines) input.write(l + '\r');
  input.end();
  const status = await done;
  return { status, text, output, fs };
}

describe('the kv prompt on a terminal', () => {
  it('greets, prompts with the engine name, runs each line and leaves at end of input', async () => {
    const { status, text, output, fs } = await typeInto(['put a 1', 'get a', 'exit']);
    expect(status).toBe(0);
    expect(output.outLines[0]).toMatch(/kv: the snapshot engine on \/db/);
    expect(output.outLines).toContain('1');
    expect(text).toContain('snapshot> ');
    // Leaving closed the store, which saved it.
    expect(fs.list('/db')).toContain('snapshot.db');
  });

  it('shows a batch prompt while a batch is open', async () => {
    const { text } = await typeInto(['batch', 'put a 1', 'commit']);
    expect(text).toContain('batch> ');
  });

  it('saves typed lines to the history file and loads them next time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-history-'));
    try {
      const file = join(dir, 'history');
      writeFileSync(file, 'put old 1\n');
      const { output } = await typeInto(['put a 1', 'history'], file);
      expect(output.outLines.slice(-3)).toEqual(['   1  put old 1', '   2  put a 1', '   3  history']);
      expect(readFileSync(file, 'utf8')).toBe('put old 1\nput a 1\nhistory\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('completes command names and trace on/off', () => {
    expect(complete('sc')).toEqual([['scan'], 'sc']);
    expect(complete('trace o')).toEqual([['on', 'off'], 'o']);
    expect(complete('put a')).toEqual([[], 'put a']);
  });
});

describe('the history file', () => {
  it('is ~/.kv_history unless KV_HISTORY names another, or is empty to turn it off', () => {
    expect(historyPath({})).toMatch(/\.kv_history$/);
    expect(historyPath({ KV_HISTORY: '/x/h' })).toBe('/x/h');
    expect(historyPath({ KV_HISTORY: '' })).toBeUndefined();
  });

  it(`keeps the last ${MAX_HISTORY} lines, and a missing or unwritable file is no error`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-history-'));
    try {
      const file = join(dir, 'h');
      saveHistory(
        file,
        Array.from({ length: MAX_HISTORY + 5 }, (_, i) => `get ${i}`),
      );
      const back = loadHistory(file);
      expect(back).toHaveLength(MAX_HISTORY);
      expect(back[0]).toBe('get 5');
      expect(loadHistory(join(dir, 'missing'))).toEqual([]);
      expect(() => saveHistory(join(dir, 'no', 'such', 'dir'), ['x'])).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
