/**
 * concepts.test.ts: the workbench shows the concepts the lessons teach (issue 15): a byte
 * damaged on disk, missing keys probed against bloom filters, scenarios with options of their
 * own, and each concept scenario reaching the event the lesson talks about.
 */
import { describe, expect, it } from 'vitest';
import { Recorder, type CommandRecord } from '../../site/workbench/recorder.js';
import { adapterFor } from '../../site/workbench/engines/index.js';
import { frameAt } from '../../site/workbench/frame.js';
import { parseCommand, probeKey } from '../../site/workbench/commands.js';
import { probeCounts } from '../../site/workbench/probe.js';
import { bloomProbe } from '../../site/workbench/engines/lsm/bloom-bits.js';
import { lsmFileFields } from '../../site/workbench/engines/lsm/fields.js';
import type { StepEvent } from '../../site/workbench/step.js';

/** The text the console printed for the last command. */
const printed = (rec: Recorder): string =>
  rec.commands
    .at(-1)!
    .output.slice(1)
    .map((l) => l.text)
    .join('\n');
/** The events of one command. */
const eventsOf = (rec: Recorder, c: CommandRecord): StepEvent[] =>
  rec.steps.slice(c.firstStep, c.endStep).map((s) => s.event);
/** Every event of a recording. */
const allEvents = (rec: Recorder): StepEvent[] => rec.steps.map((s) => s.event);
/** A recorder that ran `lines`. */
function run(engine: string, lines: string[], options = {}): Recorder {
  const rec = new Recorder(adapterFor(engine), { options });
  for (const l of lines) rec.run(l);
  return rec;
}

describe('the console language for damage, probes and dying calls', () => {
  it('parses corrupt with an optional hex byte, probe with a count and prefix, fault with skip and die', () => {
    expect(parseCommand('corrupt 000001.data 28')).toEqual({ kind: 'corrupt', file: '000001.data', offset: 28 });
    expect(parseCommand('corrupt btree.db 1562 ff')).toEqual({
      kind: 'corrupt',
      file: 'btree.db',
      offset: 1562,
      byte: 0xff,
    });
    expect(parseCommand('corrupt btree.db 7 0x0a')).toEqual({
      kind: 'corrupt',
      file: 'btree.db',
      offset: 7,
      byte: 0x0a,
    });
    expect(parseCommand('probe 200')).toEqual({ kind: 'probe', count: 200, prefix: 'key' });
    expect(parseCommand('probe 5 user')).toEqual({ kind: 'probe', count: 5, prefix: 'user' });
    expect(parseCommand('fault sync btree.db skip 1 die')).toEqual({
      kind: 'fault',
      call: 'sync',
      path: 'btree.db',
      skip: 1,
      die: true,
    });
    expect(parseCommand('fault rename')).toEqual({ kind: 'fault', call: 'rename' });
  });

  it('explains a bad corrupt or probe plainly', () => {
    expect(() => parseCommand('corrupt a.db')).toThrow(/usage: corrupt <file> <offset>/);
    expect(() => parseCommand('corrupt a.db x')).toThrow(/offset is a byte number/);
    expect(() => parseCommand('corrupt a.db 3 zz')).toThrow(/one to two hex digits/);
    expect(() => parseCommand('probe 0')).toThrow(/probe takes 1 to/);
    expect(() => parseCommand('fault sync skip')).toThrow(/skip needs a number/);
  });

  it('makes probe keys that sort among fill keys but are none of them', () => {
    expect(probeKey('key', 55)).toBe('key0055');
    expect(probeKey('key', 55) > 'key005' && probeKey('key', 55) < 'key006').toBe(true);
  });
});

describe('corrupt: one durable byte changed on disk, recorded as a step', () => {
  it('flips the low bit of a byte at rest, and the step shows the damaged disk while the step before does not', () => {
    const rec = run('bitcask', ['put apple red', 'sync']);
    const before = rec.fileSystem.peek('/db/000001.data')!;
    const [c] = rec.run('corrupt 000001.data 28');
    expect(c!.ok).toBe(true);
    expect(c!.endStep - c!.firstStep).toBe(1);
    const after = rec.fileSystem.peek('/db/000001.data')!;
    expect(after[28]).toBe(before[28]! ^ 1);
    expect(rec.fileSystem.unsyncedRanges('/db/000001.data')).toEqual([]);
    const f = frameAt(rec, c!.firstStep);
    expect(f.event).toMatchObject({
      type: 'workbench',
      what: 'corrupt',
      damage: { file: '000001.data', offset: 28, before: before[28], after: before[28]! ^ 1 },
    });
    expect(f.disk.files.find((x) => x.name === '000001.data')!.bytes[28]).toBe(after[28]);
    expect(frameAt(rec, c!.firstStep - 1).disk.files.find((x) => x.name === '000001.data')!.bytes[28]).toBe(before[28]);
  });

  it('sets a byte to the hex value given', () => {
    const rec = run('snapshot', ['put apple red', 'sync', 'corrupt snapshot.db 31 00']);
    expect(rec.fileSystem.peek('/db/snapshot.db')![31]).toBe(0);
  });

  it('refuses a file with unsynced writes, a missing file, an offset past the end, and a byte that would not change', () => {
    const rec = run('bitcask', ['put apple red']);
    rec.run('corrupt 000001.data 0');
    expect(printed(rec)).toMatch(/not yet synced; type sync/);
    rec.run('sync');
    rec.run('corrupt nothing.db 0');
    expect(printed(rec)).toMatch(/no file "nothing.db" in the store; its files are 000001.data, MANIFEST/);
    rec.run('corrupt 000001.data 9999');
    expect(printed(rec)).toMatch(/has 31 bytes, so the offset is 0 to 30/);
    const b = rec.fileSystem.peek('/db/000001.data')![5]!;
    rec.run(`corrupt 000001.data 5 ${b.toString(16)}`);
    expect(printed(rec)).toMatch(/already/);
  });

  it.each([
    ['snapshot', 'reopen', /KV_CORRUPT: \/db\/snapshot.db is corrupt at byte offset 45/],
    ['bitcask', 'get apple', /KV_CORRUPT: \/db\/000001.data is corrupt at byte offset 0/],
    ['btree', 'get k01', /KV_CORRUPT: \/db\/btree.db is corrupt at byte offset 1536/],
    ['lsm', 'get key001', /KV_CORRUPT: 000004.sst is corrupt at byte offset 0/],
  ])('%s: the corrupt scenario ends in KV_CORRUPT naming the file and offset (at %s)', (engine, at, error) => {
    const rec = run(engine, ['run corrupt']);
    const c = rec.commands.find((x) => x.text === at && !x.ok);
    expect(c, `${at} failed`).toBeDefined();
    expect(c!.output.map((o) => o.text).join('\n')).toMatch(error);
  });
});

describe('probe: missing keys against the bloom filters, counted from the trace', () => {
  it("agrees with the engine's own bloom counters", () => {
    const rec = run('lsm', ['fill 40', 'sync']);
    const es0 = rec.openStore!.stats().engineStats as Record<string, number>;
    const [c] = rec.run('probe 200');
    const es1 = rec.openStore!.stats().engineStats as Record<string, number>;
    const n = probeCounts(eventsOf(rec, c!));
    expect(n.gets).toBe(200);
    expect(n.found).toBe(0);
    expect(n.filterNo + n.filterMaybe).toBe(es1.bloomChecks! - es0.bloomChecks!);
    expect(n.filterNo).toBe(es1.bloomUseful! - es0.bloomUseful!);
    expect(n.falsePositives).toBe(es1.bloomFalsePositives! - es0.bloomFalsePositives!);
    expect(printed(rec)).toContain(`false positives: ${n.falsePositives}`);
  });

  it('measures more false positives with fewer bits per key (the bloom-4 scenario)', () => {
    const fp = (name: string): number => {
      const rec = run('lsm', [`run ${name}`]);
      return probeCounts(eventsOf(rec, rec.commands.at(-1)!)).falsePositives;
    };
    const ten = fp('bloom');
    const four = fp('bloom-4');
    expect(ten).toBeLessThan(8);
    expect(four).toBeGreaterThan(3 * Math.max(1, ten));
  });

  it('counts a probe key that happens to exist as found, not as a false positive', () => {
    const rec = run('lsm', ['fill 20', 'sync', 'put key0003 here', 'sync', 'probe 5']);
    const n = probeCounts(eventsOf(rec, rec.commands.at(-1)!));
    expect(n.found).toBe(1);
    expect(printed(rec)).toMatch(/4 not found, 1 happened to exist/);
  });
});

describe('the bits a key lands on in a bloom filter', () => {
  it('are all set for every key a table holds, and a "no" has one of them clear', () => {
    const rec = run('lsm', ['fill 20', 'sync', 'get key0055']);
    const pic = rec.openStore!.inspect() as {
      levels: { files: { file: string; smallest: string; largest: string }[] }[];
    };
    const tables = pic.levels.flatMap((l) => l.files);
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      const bytes = rec.fileSystem.peek(`/db/${t.file}`)!;
      const fields = lsmFileFields(t.file, bytes);
      for (let i = 1; i <= 20; i++) {
        const key = `key${String(i).padStart(3, '0')}`;
        if (key < t.smallest || key > t.largest) continue;
        const p = bloomProbe(fields, bytes, key)!;
        expect(p.probes, `${key} in ${t.file}`).toHaveLength(7);
        expect(
          p.probes.every((x) => x.set),
          `${key} in ${t.file}`,
        ).toBe(true);
      }
    }
    const no = eventsOf(rec, rec.commands.at(-1)!).filter((e) => e.type === 'lsm.bloom' && e.answer === 'no');
    expect(no.length).toBeGreaterThan(0);
    for (const e of no) {
      if (e.type !== 'lsm.bloom') continue;
      const bytes = rec.fileSystem.peek(`/db/${e.file}`)!;
      expect(bloomProbe(lsmFileFields(e.file, bytes), bytes, e.key)!.probes.some((x) => !x.set)).toBe(true);
    }
  });
});

describe('scenarios with options of their own', () => {
  it("make their store with those options, and a reset outside the scenario goes back to the widget's", () => {
    /** The probes per key of every table's filter, read from the tables' bytes. */
    const probes = (rec: Recorder): number[] =>
      rec.fileSystem
        .list('/db')
        .filter((n) => n.endsWith('.sst'))
        .map((n) => {
          const bytes = rec.fileSystem.peek(`/db/${n}`)!;
          return bloomProbe(lsmFileFields(n, bytes), bytes, 'key001')!.probes.length;
        });
    const rec = run('lsm', ['run bloom-4']);
    expect(probes(rec).length).toBeGreaterThan(0);
    expect(new Set(probes(rec))).toEqual(new Set([3]));
    expect(
      rec.commands
        .find((c) => c.text === 'reset')!
        .output.map((o) => o.text)
        .join(' '),
    ).toMatch(/this scenario's options: bloomBitsPerKey 4/);
    rec.run('reset');
    rec.run('fill 40');
    rec.run('sync');
    expect(new Set(probes(rec))).toEqual(new Set([7]));
  });
});

describe('each concept scenario reaches what its lesson says', () => {
  it('snapshot: without autosave the crash loses all seven puts; with autosaveEvery 3, one', () => {
    const none = run('snapshot', ['run no-autosave']);
    expect(none.commands.find((c) => c.text === 'crash')!.output.at(-1)!.text).toMatch(
      /7 writes held only in the dict/,
    );
    expect(printed(none)).toBe('(0 pairs)');
    const auto = run('snapshot', ['run autosave']);
    expect(auto.commands.find((c) => c.text === 'crash')!.output.at(-1)!.text).toMatch(/1 write held only in the dict/);
    expect(printed(auto)).toMatch(/\(6 pairs\)/);
    const crash = auto.commands.find((c) => c.text === 'crash')!;
    expect(auto.steps[crash.firstStep - 1]!.counters).toMatchObject({ bytesWritten: 146, syncs: 4 });
  });

  it('bitcask: unsynced puts die in the crash; with syncEveryWrite none does, for one fsync more per put', () => {
    const plain = run('bitcask', ['run crash-unsynced']);
    expect(printed(plain)).toBe('(0 pairs)');
    const synced = run('bitcask', ['run sync-every-write']);
    expect(printed(synced)).toMatch(/\(3 pairs\)/);
    const syncsAt = (r: Recorder): number =>
      r.steps[r.commands.find((c) => c.text === 'crash')!.firstStep - 1]!.counters.syncs;
    expect(syncsAt(synced) - syncsAt(plain)).toBe(3);
  });

  it('bitcask: the auto-merge scenario merges with reason auto and no compact typed', () => {
    const rec = run('bitcask', ['run auto-merge']);
    expect(rec.commands.some((c) => c.text === 'compact')).toBe(false);
    expect(allEvents(rec).find((e) => e.type === 'bitcask.merge.start')).toMatchObject({ reason: 'auto' });
  });

  it('btree: the borrow scenario borrows, and three-levels grows a root of height 3', () => {
    expect(allEvents(run('btree', ['run borrow'])).some((e) => e.type === 'btree.borrow')).toBe(true);
    const tall = run('btree', ['run three-levels']);
    expect(allEvents(tall).some((e) => e.type === 'btree.root' && e.height === 3)).toBe(true);
    expect((tall.openStore!.stats().engineStats as Record<string, number>).height).toBe(3);
  });

  it('btree: a torn meta page is passed over at open, and the commit before is what reads back', () => {
    const rec = run('btree', ['run torn-meta']);
    const rv = allEvents(rec).find((e) => e.type === 'btree.recover');
    expect(rv && rv.type === 'btree.recover' && rv.tornMeta.length).toBe(1);
    expect(printed(rec)).toMatch(/^value-03-/);
  });

  it('lsm: the block cache misses the first read of a block and hits the next ones', () => {
    const rec = run('lsm', ['run cache']);
    const reads = allEvents(rec)
      .slice(rec.commands.find((c) => c.text === 'reopen')!.endStep)
      .filter((e) => e.type === 'lsm.block.read');
    expect(reads.map((e) => (e.type === 'lsm.block.read' ? e.cache : ''))).toEqual([
      'miss',
      'hit',
      'hit',
      'miss',
      'hit',
    ]);
    const es = rec.openStore!.stats().engineStats as Record<string, number>;
    expect([es.cacheHits, es.cacheMisses]).toEqual([3, 2]);
  });

  it('lsm: tombstones survive the compaction into level 1 and are dropped only at level 2, the bottom', () => {
    const rec = run('lsm', ['run bottom']);
    const merges = eventsOf(
      rec,
      rec.commands.find((c) => c.text === 'compact')!,
    ).filter((e) => e.type === 'lsm.compaction.merge');
    expect(merges.map((e) => (e.type === 'lsm.compaction.merge' ? [e.outputLevel, e.tombstonesDropped] : []))).toEqual([
      [1, 0],
      [2, 8],
    ]);
    const l1 = eventsOf(
      rec,
      rec.commands.find((c) => c.text === 'compact')!,
    ).find((e) => e.type === 'lsm.table.written' && e.level === 1);
    expect(l1).toMatchObject({ tombstones: 8 });
    expect(printed(rec)).toMatch(/key009 = v9\nkey010 = v10\nkey011 = v11\n\(3 pairs\)/);
  });
});
