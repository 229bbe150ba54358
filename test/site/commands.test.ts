import { describe, expect, it } from 'vitest';
import { CommandError, parseCommand, quote, tokenize } from '../../site/workbench/commands.js';

describe('the workbench console parser', () => {
  it('splits on spaces and keeps quoted spaces and escapes', () => {
    expect(tokenize('put  a "hello world"')).toEqual(['put', 'a', 'hello world']);
    expect(tokenize('put k "say \\"hi\\"\\n"')).toEqual(['put', 'k', 'say "hi"\n']);
  });

  it('parses put, get and delete with their aliases, the empty key "" included', () => {
    expect(parseCommand('put apple red')).toEqual({ kind: 'put', key: 'apple', value: 'red' });
    expect(parseCommand('set apple "dark red"')).toEqual({ kind: 'put', key: 'apple', value: 'dark red' });
    expect(parseCommand('put k ""')).toEqual({ kind: 'put', key: 'k', value: '' });
    expect(parseCommand('put "" v')).toEqual({ kind: 'put', key: '', value: 'v' });
    expect(parseCommand('get ""')).toEqual({ kind: 'get', key: '' });
    expect(parseCommand('GET apple')).toEqual({ kind: 'get', key: 'apple' });
    expect(parseCommand('del apple')).toEqual({ kind: 'delete', key: 'apple' });
  });

  it('parses scan bounds, reverse and limit', () => {
    expect(parseCommand('scan')).toEqual({ kind: 'scan', reverse: false });
    expect(parseCommand('scan a z')).toEqual({ kind: 'scan', from: 'a', to: 'z', reverse: false });
    expect(parseCommand('scan a reverse limit 3')).toEqual({ kind: 'scan', from: 'a', reverse: true, limit: 3 });
  });

  it('parses a batch of puts and deletes separated by semicolons, quotes included', () => {
    expect(parseCommand('batch put a 1; delete b; put c "x;y"')).toEqual({
      kind: 'batch',
      ops: [
        { type: 'put', key: 'a', value: '1' },
        { type: 'delete', key: 'b' },
        { type: 'put', key: 'c', value: 'x;y' },
      ],
    });
  });

  it('parses crash variants, fault, fill, run and the bare verbs', () => {
    expect(parseCommand('crash')).toEqual({ kind: 'crash', torn: false });
    expect(parseCommand('crash torn')).toEqual({ kind: 'crash', torn: true });
    expect(parseCommand('crash dirs')).toEqual({ kind: 'crash', torn: false, dirs: true });
    expect(parseCommand('crash keep 2 tear 5')).toEqual({ kind: 'crash', torn: true, keep: 2, tear: 5 });
    expect(parseCommand('fault rename')).toEqual({ kind: 'fault', call: 'rename' });
    expect(parseCommand('fault sync .tmp')).toEqual({ kind: 'fault', call: 'sync', path: '.tmp' });
    expect(parseCommand('fill 30')).toEqual({ kind: 'fill', count: 30, prefix: 'key' });
    expect(parseCommand('run crash-before-sync')).toEqual({ kind: 'run', scenario: 'crash-before-sync' });
    for (const v of ['sync', 'compact', 'close', 'reopen', 'reset', 'help', 'clear'] as const)
      expect(parseCommand(v)).toEqual({ kind: v });
    expect(parseCommand('merge')).toEqual({ kind: 'compact' });
  });

  it('ignores blank lines and comments', () => {
    expect(parseCommand('   ')).toBeUndefined();
    expect(parseCommand('# a note')).toBeUndefined();
  });

  it('explains mistakes plainly', () => {
    const msg = (line: string): string => {
      try {
        parseCommand(line);
      } catch (e) {
        expect(e).toBeInstanceOf(CommandError);
        return (e as Error).message;
      }
      throw new Error(`"${line}" parsed`);
    };
    expect(msg('frobnicate')).toMatch(/unknown command "frobnicate"; type help/);
    expect(msg('put a')).toMatch(/put needs 2 arguments/);
    expect(msg('put a b c')).toMatch(/quotes/);
    expect(msg('get')).toMatch(/get needs a key/);
    expect(msg('put a "open')).toMatch(/quote is not closed/);
    expect(msg('fill lots')).toMatch(/fill needs a number/);
    expect(msg('fill 5000')).toMatch(/1 to 200/);
    expect(msg('fault teleport')).toMatch(/not a call/);
    expect(msg('crash gently')).toMatch(/unknown option/);
    expect(msg('batch put a')).toMatch(/batch: "put a"/);
  });

  it('quotes a token only when it needs it, and tokenize reads it back', () => {
    expect(quote('plain')).toBe('plain');
    for (const s of ['two words', '', 'a"b', 'x;y', 'back\\slash']) expect(tokenize(quote(s))).toEqual([s]);
  });
});
