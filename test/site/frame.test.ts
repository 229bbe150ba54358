import { describe, expect, it } from 'vitest';
import { Recorder } from '../../site/workbench/recorder.js';
import { adapterFor } from '../../site/workbench/engines/index.js';
import { commandOf, frameAt } from '../../site/workbench/frame.js';
import { readDisk } from '../../site/workbench/disk.js';

/** A recorder that ran every scenario of an engine, one after another (each from a fresh store). */
function busy(engine: string): Recorder {
  const ad = adapterFor(engine);
  const rec = new Recorder(ad, { options: engine === 'bitcask' ? { maxFileBytes: 200 } : {} });
  for (const sc of ad.scenarios) rec.runScenario(sc.name);
  return rec;
}

describe.each(['snapshot', 'bitcask', 'btree', 'lsm'])('frames of a %s recording', (engine) => {
  const rec = busy(engine);

  it('finds the command that owns every step', () => {
    for (let i = 0; i < rec.steps.length; i++) {
      const c = commandOf(rec, i);
      expect(c.firstStep <= i && i < c.endStep).toBe(true);
      expect(c.index).toBe(rec.steps[i]!.command);
    }
  });

  it('gives the same picture for a step however it is reached (back, forward, scrub)', () => {
    const forward = Array.from({ length: rec.steps.length }, (_, i) => frameAt(rec, i));
    for (let i = rec.steps.length - 1; i >= 0; i -= 7) expect(frameAt(rec, i)).toEqual(forward[i]);
  });

  it("draws each step's memory pane from that step's own inspect(), and a command's last step from the picture after it", () => {
    for (let i = 0; i < rec.steps.length; i++) {
      const f = frameAt(rec, i);
      const p = rec.steps[i]!.picture;
      expect(f.inspect).toBe(p.inspect);
      expect(f.memory).toEqual(p.inspect ? rec.adapter.memory(p.inspect, p.stats) : null);
      expect(f.counters.memoryBytes).toBe(p.stats?.memoryBytes ?? null);
      expect(f.counters.liveKeys).toBe(p.stats?.liveKeys ?? null);
    }
    for (const c of rec.commands) {
      if (c.endStep === c.firstStep) continue;
      const { state, inspect, stats } = rec.steps[c.endStep - 1]!.picture;
      expect({ state, inspect, stats }, c.text).toEqual({
        state: c.after.state,
        inspect: c.after.inspect,
        stats: c.after.stats,
      });
    }
  });

  it('rebuilds from the io events exactly the bytes the memory file system holds after every command', () => {
    const ad = adapterFor(engine);
    const live = new Recorder(ad, { options: engine === 'bitcask' ? { maxFileBytes: 200 } : {} });
    for (const sc of ad.scenarios) {
      live.run('reset');
      for (const line of sc.commands) {
        live.run(line);
        const last = live.steps.length - 1;
        const f = frameAt(live, last);
        const real = readDisk(live.fileSystem, live.dir);
        expect(
          f.disk.files.map((x) => [x.name, Buffer.from(x.bytes).toString('hex')]),
          `${sc.name}: ${line}`,
        ).toEqual(real.files.map((x) => [x.name, Buffer.from(x.bytes).toString('hex')]));
      }
    }
  });
});

describe('a frame during a command', () => {
  it('shows snapshot writes only in memory until the save writes the temp file, unsynced', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    rec.run('put a 1');
    const [sync] = rec.run('sync');
    const at = (type: string, call?: string): number =>
      rec.steps.findIndex(
        (s, i) =>
          i >= sync!.firstStep &&
          s.event.type === type &&
          (call === undefined || (s.event as { call?: string }).call === call),
      );
    const afterWrite = frameAt(rec, at('io', 'write'));
    expect(afterWrite.disk.files.map((f) => f.name)).toEqual(['snapshot.db.tmp']);
    expect(afterWrite.disk.files[0]!.unsynced).toEqual([[0, 32]]);
    expect(afterWrite.touch).toMatchObject({ kind: 'write', file: 'snapshot.db.tmp', offset: 0, length: 32 });
    const afterSync = frameAt(rec, at('io', 'sync'));
    expect(afterSync.disk.files[0]!.unsynced).toEqual([]);
    const afterRename = frameAt(rec, at('io', 'rename'));
    expect(afterRename.disk.files.map((f) => [f.name, f.entryDurable])).toEqual([['snapshot.db', false]]);
    const afterDirSync = frameAt(rec, at('io', 'syncDir'));
    expect(afterDirSync.disk.files[0]!.entryDurable).toBe(true);
  });

  it('shows no memory after a crash, and the recovered keydir after reopen', () => {
    const rec = new Recorder(adapterFor('bitcask'));
    for (const l of ['put a 1', 'sync', 'put b 2', 'crash']) rec.run(l);
    const crash = frameAt(rec, rec.steps.length - 1);
    expect(crash.state).toBe('crashed');
    expect(crash.memory).toBeNull();
    expect(crash.counters.memoryBytes).toBeNull();
    rec.run('reopen');
    const end = frameAt(rec, rec.steps.length - 1);
    expect(end.state).toBe('open');
    expect(end.memory?.rows.map((r) => r.id)).toEqual(['a']);
  });
});
