/**
 * The commands, run in-process at a prompt on the memory file system: what they print and
 * the exit status they return, on every engine that is built.
 */
import { describe, it, expect } from 'vitest';
import { runLine, runCommand, commandHelp } from '../../cli/commands.js';
import { parseBatchOps, parseBatchText } from '../../cli/batch-ops.js';
import { takeFlags } from '../../cli/flags.js';
import { splitWords } from '../../cli/literal.js';
import { EXIT_FAILED, EXIT_NOT_FOUND, EXIT_OK, EXIT_UNSOUND, EXIT_USAGE, UsageError } from '../../cli/status.js';
import { toolsFor } from '../../cli/engines/index.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { utf8 } from '../../engines/bytes.js';
import { BUILT, corruptLiveRecord, memorySession } from './helpers.js';

/** Runs lines and returns their statuses. */
function run(s: ReturnType<typeof memorySession>['session'], ...lines: string[]): number[] {
  return lines.map((l) => runLine(s, l).status);
}

for (const engine of BUILT) {
  describe(`kv commands on the ${engine} engine`, () => {
    it('puts, gets, deletes and scans, printing values in full', () => {
      const { session, output } = memorySession(engine);
      expect(
        run(
          session,
          'put apple red',
          'put banana "bright yellow"',
          'put 0x00ff 0x0102',
          'get banana',
          'delete apple',
          'scan',
        ),
      ).toEqual([0, 0, 0, 0, 0, 0]);
      expect(output.outLines).toEqual(['bright yellow', '0x00ff\t0x0102', 'banana\tbright yellow']);
      session.close();
    });

    it('returns status 1 for a get that finds nothing, and says so on the error stream', () => {
      const { session, output } = memorySession(engine);
      expect(run(session, 'get nothing')).toEqual([EXIT_NOT_FOUND]);
      expect(output.outLines).toEqual([]);
      expect(output.errLines).toEqual(['(not found)']);
      session.close();
    });

    it('scans from a key up to another, reversed and limited, or as JSON', () => {
      const { session, output } = memorySession(engine);
      run(session, 'batch put a 1 put b 2 put c 3 put d 4');
      output.outLines.length = 0;
      run(session, 'scan b d', 'scan --reverse --limit 2', 'scan c --json');
      expect(output.outLines.slice(0, 4)).toEqual(['b\t2', 'c\t3', 'd\t4', 'c\t3']);
      expect(JSON.parse(output.outLines.slice(4).join('\n'))).toEqual([
        { key: 'c', value: '3' },
        { key: 'd', value: '4' },
      ]);
      session.close();
    });

    it('collects a batch at the prompt and applies it on commit, all at once', () => {
      const { session, output } = memorySession(engine);
      expect(run(session, 'put gone 1', 'batch', 'put x 1', 'delete gone', 'get x')).toEqual([0, 0, 0, 0, EXIT_USAGE]);
      expect(output.errLines.at(-1)).toMatch(/a batch is open/);
      expect(session.store().get('gone')).toBeDefined();
      expect(run(session, 'commit', 'get x', 'get gone')).toEqual([0, 0, EXIT_NOT_FOUND]);
      expect(run(session, 'batch', 'put y 2', 'abort', 'get y')).toEqual([0, 0, 0, EXIT_NOT_FOUND]);
      session.close();
    });

    it('reads batch ops from the input on the command line', () => {
      const { session } = memorySession(engine, {
        interactive: false,
        readInput: () => 'put a 1\n# a comment\n\ndelete b\nput "c d" 0x00\n',
      });
      expect(runCommand(session, 'batch', [], { json: false, hex: false, reverse: false }).status).toBe(EXIT_OK);
      expect(session.store().get('c d')).toEqual(Uint8Array.of(0));
      session.close();
    });

    it('syncs, compacts and reports stats and inspect, as text or JSON', () => {
      const { session, output } = memorySession(engine);
      expect(run(session, 'put k v', 'sync', 'compact', 'stats', 'inspect')).toEqual([0, 0, 0, 0, 0]);
      expect(output.outLines.join('\n')).toContain(`${engine} store in /db`);
      output.outLines.length = 0;
      run(session, 'stats --json');
      expect(JSON.parse(output.outLines.join('\n'))).toMatchObject({ engine, liveKeys: 1 });
      output.outLines.length = 0;
      run(session, 'inspect --json');
      expect(JSON.parse(output.outLines.join('\n'))).toMatchObject({ engine });
      session.close();
    });

    it('prints each trace event as one line while trace is on', () => {
      const { session, output } = memorySession(engine);
      run(session, 'put a 1', 'trace on', 'put b 2', 'trace off', 'put c 3');
      expect(output.errLines[0]).toBe('→ put key=b value=2');
      expect(output.errLines.at(-1)).toBe('← put ok');
      expect(output.errLines.some((l) => l.startsWith(`  ${engine}.`))).toBe(true);
      expect(output.errLines.join('\n')).not.toContain('key=c');
      session.close();
    });

    it.skipIf(!toolsFor(engine))('dumps and checks the files of the open store', () => {
      const { session, output } = memorySession(engine);
      expect(run(session, 'put a 1', 'sync', 'dump', 'check', 'dump --json', 'check --json')).toEqual([
        0, 0, 0, 0, 0, 0,
      ]);
      expect(output.outLines.join('\n')).toContain('the store is sound');
      session.close();
    });

    it.skipIf(!toolsFor(engine))(
      'still dumps and checks a store that will not open, with status 4 for corruption',
      () => {
        const fs = new MemoryFileSystem();
        const first = memorySession(engine, { fs });
        run(first.session, 'put a 1', 'put needle haystack', 'put b 2');
        first.session.close();
        corruptLiveRecord(engine, fs, '/db', 'needle');
        const { session, output } = memorySession(engine, { fs });
        expect(run(session, 'check')).toEqual([EXIT_UNSOUND]);
        expect(output.outLines.join('\n')).toMatch(/at byte offset \d+/);
        expect(run(session, 'dump')).toEqual([0]);
        session.close();
      },
    );

    it('rejects bad input with a usage error and keeps the store usable', () => {
      const { session, output } = memorySession(engine);
      expect(
        run(
          session,
          'put onlykey',
          'put a b c',
          'frobnicate',
          'get',
          'trace maybe',
          'scan --limit x',
          'put k "open',
          'commit',
          '--json',
        ),
      ).toEqual(Array(9).fill(EXIT_USAGE));
      expect(output.errLines[1]).toMatch(/quote a value with spaces/);
      expect(output.errLines[2]).toMatch(/unknown command "frobnicate"; type help/);
      expect(run(session, 'put a b', 'get a')).toEqual([0, 0]);
      session.close();
    });

    it('reports a store error with its code and status 3, and keeps going', () => {
      const { session, output } = memorySession(engine);
      const tooBig = 'x'.repeat(session.store().limits.maxKeyBytes + 1);
      expect(run(session, `put ${tooBig} v`)).toEqual([EXIT_FAILED]);
      expect(output.errLines[0]).toMatch(/^error: KV_TOO_LARGE: /);
      expect(run(session, 'put a b')).toEqual([0]);
      session.close();
    });

    it('says the directory is locked when another session holds it', () => {
      const fs = new MemoryFileSystem();
      const a = memorySession(engine, { fs });
      a.session.store();
      const b = memorySession(engine, { fs, interactive: false });
      expect(runCommand(b.session, 'put', splitWords('k v'), { json: false, hex: false, reverse: false }).status).toBe(
        EXIT_FAILED,
      );
      expect(b.output.errLines[0]).toMatch(/KV_LOCKED/);
      a.session.close();
    });
  });
}

describe('kv commands anywhere', () => {
  it('refuses a read-only command on the command line when the directory does not exist', () => {
    const { session, output, fs } = memorySession('snapshot', { interactive: false });
    expect(runCommand(session, 'get', splitWords('k'), { json: false, hex: false, reverse: false }).status).toBe(
      EXIT_FAILED,
    );
    expect(output.errLines[0]).toMatch(/no store at \/db/);
    expect(fs.exists('/db')).toBe(false);
  });

  it('keeps prompt-only commands off the command line', () => {
    const { session, output } = memorySession('snapshot', { interactive: false });
    expect(runCommand(session, 'trace', splitWords('on'), { json: false, hex: false, reverse: false }).status).toBe(
      EXIT_USAGE,
    );
    expect(output.errLines[0]).toMatch(/--trace/);
  });

  it('acknowledges writes only when a person is watching', () => {
    const { session, output } = memorySession('snapshot', { chatty: true });
    run(session, 'put a 1', 'scan');
    expect(output.outLines).toEqual(['ok', 'a\t1', '(1 pair)']);
    session.close();
  });

  it('leaves on exit, dropping an open batch with a warning', () => {
    const { session, output } = memorySession('snapshot');
    run(session, 'batch', 'put a 1');
    expect(runLine(session, 'exit')).toEqual({ status: 0, exit: true });
    expect(output.errLines.at(-1)).toMatch(/dropping the open batch of 1 ops/);
  });

  it('lists the commands, and explains one', () => {
    expect(commandHelp(undefined, true).join('\n')).toMatch(/trace on\|off/);
    expect(commandHelp(undefined, false).join('\n')).not.toMatch(/trace on\|off/);
    expect(commandHelp('del', true)[0]).toBe('delete <key>');
    expect(() => commandHelp('nope', true)).toThrow(UsageError);
  });

  it('parses batch ops inline and from text, naming the bad op or line', () => {
    expect(parseBatchOps(splitWords('put a 1 ; del b , put c 2'))).toEqual([
      { type: 'put', key: utf8('a'), value: utf8('1') },
      { type: 'delete', key: utf8('b') },
      { type: 'put', key: utf8('c'), value: utf8('2') },
    ]);
    expect(() => parseBatchOps(splitWords('put a'))).toThrow(/op 1/);
    expect(() => parseBatchOps(splitWords('put a 1 get b'))).toThrow(/op 2/);
    expect(() => parseBatchText('put a 1\nfrob\n')).toThrow(/line 2/);
  });

  it('takes flags typed after a command, and treats a quoted --word as an argument', () => {
    const { args, flags } = takeFlags(splitWords('scan a "--b" --limit=3 --reverse -- --json'));
    expect(args.map((w) => w.text)).toEqual(['scan', 'a', '--b', '--json']);
    expect(flags).toEqual({ json: false, hex: false, reverse: true, limit: 3 });
    expect(() => takeFlags(splitWords('scan --frob'))).toThrow(/unknown flag/);
  });
});
