import { describe, it, expect } from 'vitest';
import { parseArgs, parseOption } from '../../cli/args.js';
import { UsageError } from '../../cli/status.js';

describe('the kv command line', () => {
  it('reads engine, directory, command and arguments in order', () => {
    const p = parseArgs(['snapshot', './data', 'put', 'k', 'v']);
    expect(p).toMatchObject({ engine: 'snapshot', dir: './data', command: 'put', args: ['k', 'v'] });
  });

  it('means the prompt when there is no command', () => {
    expect(parseArgs(['lsm', 'd']).command).toBeUndefined();
  });

  it('takes flags anywhere, before or after the command', () => {
    const p = parseArgs(['--trace', 'btree', 'd', 'scan', 'a', '--limit', '3', '--reverse', '--json', '--no-color']);
    expect(p).toMatchObject({ trace: true, limit: 3, reverse: true, json: true, colour: false, args: ['a'] });
    expect(parseArgs(['x', 'd', 'scan', '--limit=7']).limit).toBe(7);
    expect(parseArgs(['x', 'd', 'dump', '--hex']).hex).toBe(true);
    expect(parseArgs(['-h']).help).toBe(true);
  });

  it('treats everything after -- as arguments', () => {
    expect(parseArgs(['x', 'd', 'put', '--', '--json', '-1']).args).toEqual(['--json', '-1']);
  });

  it('collects -o name=value tuning options as numbers or booleans', () => {
    const p = parseArgs(['btree', 'd', '-o', 'pageSize=1024', '--option', 'syncEveryWrite=true']);
    expect(p.options).toEqual({ pageSize: 1024, syncEveryWrite: true });
  });

  it('takes a word for a choice option: -o compaction=tiered, and refuses a word it does not know', () => {
    expect(parseArgs(['lsm', 'd', '-o', 'compaction=tiered']).options).toEqual({ compaction: 'tiered' });
    expect(() => parseOption('compaction=universal')).toThrow(/leveled, tiered/);
  });

  it('rejects unknown flags, bad numbers and bad options with a usage error', () => {
    expect(() => parseArgs(['x', 'd', '--bogus'])).toThrow(UsageError);
    expect(() => parseArgs(['x', 'd', 'scan', '--limit', 'many'])).toThrow(/whole number/);
    expect(() => parseArgs(['x', 'd', 'scan', '--limit'])).toThrow(/whole number/);
    expect(() => parseOption('pageSize')).toThrow(/name=value/);
    expect(() => parseOption('pageSize=big')).toThrow(/number/);
    expect(() => parseOption('dir=/x')).toThrow(/not a tuning option/);
  });
});
