import { describe, expect, it } from 'vitest';
import { Recorder } from '../../site/workbench/recorder.js';
import { adapterFor } from '../../site/workbench/engines/index.js';

/** The text the console printed for the last command. */
function printed(rec: Recorder): string[] {
  return rec.commands
    .at(-1)!
    .output.slice(1)
    .map((l) => l.text);
}

describe('the workbench recorder', () => {
  it('opens a fresh store as its first command, recorded with its trace', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    expect(rec.commands).toHaveLength(1);
    expect(rec.commands[0]!.text).toBe('open');
    expect(rec.steps.map((s) => s.event.type)).toContain('op');
    expect(rec.storeState).toBe('open');
  });

  it('runs the real engine: put, get, delete and scan print what the engine returned', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    rec.run('put apple red');
    rec.run('put "two words" "a value"');
    rec.run('get apple');
    expect(printed(rec)).toEqual(['red']);
    rec.run('get "two words"');
    expect(printed(rec)).toEqual(['"a value"']);
    rec.run('delete apple');
    rec.run('get apple');
    expect(printed(rec)).toEqual(['(not found)']);
    rec.run('scan');
    expect(printed(rec)).toEqual(['two words = a value', '(1 pair)']);
  });

  it('records every trace event of a command as one step each, with running I/O totals', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    rec.run('put a 1');
    const [sync] = rec.run('sync');
    const events = rec.steps.slice(sync!.firstStep, sync!.endStep).map((s) => s.event);
    expect(events[0]).toMatchObject({ type: 'op', phase: 'begin', op: 'sync' });
    expect(events.at(-1)).toMatchObject({ type: 'op', phase: 'end', op: 'sync' });
    expect(events.filter((e) => e.type === 'io').map((e) => (e as { call: string }).call)).toEqual([
      'create',
      'write',
      'sync',
      'rename',
      'syncDir',
    ]);
    const last = rec.steps[sync!.endStep - 1]!.counters;
    expect(last.bytesWritten).toBe(24 + 4 + 4);
    expect(last.syncs).toBe(2);
  });

  it('shows mistakes and engine errors plainly, and the store stays usable', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    rec.run('put a');
    expect(rec.commands.at(-1)!.ok).toBe(false);
    expect(printed(rec)[0]).toMatch(/put needs 2 arguments/);
    rec.run(`put ${'k'.repeat(2000)} v`);
    expect(printed(rec)[0]).toMatch(/^KV_TOO_LARGE: a key is 2000 bytes/);
    rec.run('put a 1');
    expect(rec.commands.at(-1)!.ok).toBe(true);
  });

  it('a crash drops unsynced writes and kills the store until reopen recovers it', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    for (const l of ['put a 1', 'sync', 'put b 2', 'crash']) rec.run(l);
    expect(rec.storeState).toBe('crashed');
    rec.run('get a');
    expect(printed(rec)[0]).toMatch(/died in the crash: type reopen/);
    rec.run('reopen');
    expect(rec.storeState).toBe('open');
    rec.run('scan');
    expect(printed(rec)).toEqual(['a = 1', '(1 pair)']);
  });

  it('crash torn lets the unsynced writes land except the last, which lands cut', () => {
    const rec = new Recorder(adapterFor('bitcask'));
    for (const l of ['put a 1', 'sync', 'put b 2', 'put c 3', 'crash torn']) rec.run(l);
    expect(printed(rec)[0]).toMatch(/2 unsynced disk writes, 1 landed anyway, 1 landed torn after \d+ B, 0 lost/);
    rec.run('reopen');
    const recovery = rec.steps.slice(rec.commands.at(-1)!.firstStep).map((s) => s.event.type);
    expect(recovery).toContain('bitcask.recover.truncate');
    rec.run('scan');
    expect(printed(rec)).toEqual(['a = 1', 'b = 2', '(2 pairs)']);
  });

  it('an injected fault fails the next such call with KV_IO, and a crash then reopen recovers', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    for (const l of ['put a 1', 'sync', 'put b 2', 'fault rename', 'sync']) rec.run(l);
    expect(printed(rec)[0]).toMatch(/^KV_IO/);
    rec.run('crash dirs');
    rec.run('reopen');
    const types = rec.steps.slice(rec.commands.at(-1)!.firstStep).map((s) => s.event.type);
    expect(types).toContain('snapshot.clean');
    rec.run('scan');
    expect(printed(rec)).toEqual(['a = 1', '(1 pair)']);
  });

  it('reset starts over on an empty disk; help lists the commands; unknown scenarios say which exist', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    rec.run('put a 1');
    rec.run('sync');
    rec.run('reset');
    rec.run('scan');
    expect(printed(rec)).toEqual(['(0 pairs)']);
    rec.run('help');
    expect(printed(rec).join('\n')).toMatch(/crash \[torn\]/);
    rec.run('run nope');
    expect(printed(rec)[0]).toMatch(/no scenario "nope"; try one of: fill, overwrite/);
  });

  it.each(['snapshot', 'bitcask'])('runs every %s scenario without an unexpected error', (engine) => {
    const ad = adapterFor(engine);
    for (const sc of ad.scenarios) {
      const rec = new Recorder(ad);
      const made = rec.runScenario(sc.name);
      // A scenario starts from a fresh store: a reset, then its own commands.
      expect(made.map((c) => c.text)).toEqual([
        'reset',
        ...sc.commands
          .map((c) => (c.length > 200 ? c.slice(0, 200) + '…' : c))
          .map((c, i) => (c.endsWith('…') ? made[i + 1]!.text : c)),
      ]);
      const failed = made.filter((c) => !c.ok).map((c) => c.text);
      // Only the scenarios that break something expect a failure: the sync a fault breaks, the reads of a damaged byte.
      const expected: Record<string, string[]> = {
        'crash-during-save': ['sync'],
        corrupt: engine === 'snapshot' ? ['reopen'] : ['get apple', 'reopen'],
      };
      expect(failed, sc.name).toEqual(expected[sc.name] ?? []);
    }
  });
});
