/**
 * The B+tree and LSM workbench adapters, without a DOM: every scenario records, every step
 * gives a frame and a structure model drawn from that step's own inspect(),
 * and the file splitters explain the files' bytes with the engines' own layouts.
 */
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../site/workbench/recorder.js';
import { frameAt } from '../../site/workbench/frame.js';
import { btreeAdapter } from '../../site/workbench/engines/btree/index.js';
import { btreeStructure } from '../../site/workbench/engines/btree/structure.js';
import { btreeFileFields } from '../../site/workbench/engines/btree/fields.js';
import { longPuts } from '../../site/workbench/engines/btree/scenarios.js';
import { lsmAdapter } from '../../site/workbench/engines/lsm/index.js';
import { lsmStructure } from '../../site/workbench/engines/lsm/structure.js';
import type { EngineAdapter, FieldSpan } from '../../site/workbench/adapter.js';

/** Fields must be sorted, inside the file, and never overlap. */
function checkFields(fields: FieldSpan[], size: number): void {
  let end = 0;
  for (const f of [...fields].sort((a, b) => a.offset - b.offset)) {
    expect(f.offset).toBeGreaterThanOrEqual(end);
    expect(f.offset + f.length).toBeLessThanOrEqual(size);
    end = f.offset + f.length;
  }
}

/** Runs every scenario of an adapter on one recorder and checks every step. */
function everyStep(ad: EngineAdapter, structure: (rec: Recorder, i: number) => unknown): Recorder {
  const rec = new Recorder(ad);
  for (const sc of ad.scenarios) {
    const made = rec.runScenario(sc.name);
    // The corrupt scenarios damage a byte on purpose: their KV_CORRUPT is the lesson.
    const allowed = sc.name === 'corrupt' ? /EIO|failed|died|closed|KV_CORRUPT/ : /EIO|failed|died|closed/;
    for (const c of made)
      expect(
        c.output.filter((o) => o.kind === 'err' && !allowed.test(o.text)),
        sc.name,
      ).toEqual([]);
  }
  for (let i = 0; i < rec.steps.length; i++) structure(rec, i);
  for (const c of rec.commands) {
    for (const f of c.diskAfter.files) checkFields(ad.fileFields(f.name, f.bytes), f.bytes.length);
  }
  return rec;
}

describe('the btree adapter', () => {
  it('records every scenario and builds a structure at every step', () => {
    const rec = everyStep(btreeAdapter, (r, i) => btreeStructure(frameAt(r, i)));
    expect(rec.steps.some((s) => s.event.type === 'btree.split')).toBe(true);
    expect(rec.steps.some((s) => s.event.type === 'btree.merge')).toBe(true);
    expect(rec.steps.some((s) => s.event.type === 'btree.evict')).toBe(true);
  });

  it('splits the 512-byte root leaf after about ten 40-byte puts', () => {
    const rec = new Recorder(btreeAdapter);
    rec.run('sync');
    let at = 0;
    for (const line of longPuts(1, 20)) {
      rec.run(line);
      if (!at && rec.steps.some((s) => s.event.type === 'btree.split')) at = Number(line.slice(5, 7));
    }
    expect(at).toBeGreaterThan(3);
    expect(at).toBeLessThan(13);
    const s = btreeStructure(frameAt(rec, rec.steps.length - 1));
    expect(s.tree?.type).toBe('branch');
  });

  it('shows the meta pages from the disk at each step: the new one only after the commit point', () => {
    const rec = new Recorder(btreeAdapter);
    rec.run('put a 1');
    const [sync] = rec.run('sync');
    const txids = (i: number): (number | undefined)[] =>
      btreeStructure(frameAt(rec, i))
        .metas.filter((m) => m.current)
        .map((m) => m.txid);
    const first = txids(sync!.firstStep)[0]!;
    expect(txids(sync!.endStep - 1)).toEqual([first + 1]);
  });

  it('explains every byte of a page it decodes', () => {
    const rec = new Recorder(btreeAdapter);
    for (const l of longPuts(1, 5)) rec.run(l);
    rec.run('sync');
    const f = rec.commands.at(-1)!.diskAfter.files.find((x) => x.name === 'btree.db')!;
    const fields = btreeFileFields('btree.db', f.bytes);
    expect(fields.filter((x) => x.name === 'key').map((x) => x.text)).toContain('"k03"');
    expect(fields.filter((x) => x.name === 'txid').length).toBe(2);
  });

  it('draws the tree, the cache rows and the cache counters of every step from the same inspect()', () => {
    const rec = new Recorder(btreeAdapter, { options: { cachePages: 4 } });
    rec.runScenario('cache');
    for (let i = 0; i < rec.steps.length; i++) {
      const f = frameAt(rec, i);
      const s = btreeStructure(f);
      if (!f.memory || !s.counts) continue;
      expect(f.memory.rows.map((r) => Number(r.id.slice(5))).sort(), `step ${i}`).toEqual([...s.cached.keys()].sort());
      expect(f.memory.notes).toContainEqual(['cache hits', String(s.counts.hits)]);
      expect(f.memory.notes).toContainEqual(['cache misses', String(s.counts.misses)]);
    }
  });
});

describe('the lsm adapter', () => {
  it('records every scenario and builds a structure at every step', () => {
    const rec = everyStep(lsmAdapter, (r, i) => lsmStructure(frameAt(r, i)));
    const types = new Set(rec.steps.map((s) => s.event.type));
    for (const t of ['lsm.flush', 'lsm.compaction.pick', 'lsm.get.skip', 'lsm.bloom', 'lsm.recover'])
      expect(types).toContain(t);
  });

  it('shows the frozen memtable while a flush runs, with its entries, in the pane and the picture', () => {
    const rec = new Recorder(lsmAdapter);
    rec.runScenario('fill');
    const during = rec.steps.findIndex(
      (s) => s.event.type === 'lsm.flush' && (s.event as { step: string }).step === 'start',
    );
    expect(during).toBeGreaterThan(0);
    const f = frameAt(rec, during);
    const s = lsmStructure(f);
    expect(s.immutable?.length).toBeGreaterThan(0);
    expect(f.memory!.rows.filter((r) => r.group?.startsWith('frozen')).length).toBe(s.immutable!.length);
    expect(f.memory!.total).toBeGreaterThan(0);
  });

  it("writes the bloom filter's answer on the table a get asked", () => {
    const rec = new Recorder(lsmAdapter);
    rec.runScenario('get');
    const answers = new Set<string>();
    for (let i = 0; i < rec.steps.length; i++) {
      for (const m of lsmStructure(frameAt(rec, i)).marks.values()) answers.add(m.mark);
    }
    expect(answers).toContain('skip');
    expect([...answers].some((a) => a.startsWith('bloom-'))).toBe(true);
  });

  it('splits log, table and manifest files into fields', () => {
    const rec = new Recorder(lsmAdapter);
    rec.run('fill 20');
    const files = rec.commands.at(-1)!.diskAfter.files;
    const kinds = new Map(
      files.map((f) => [f.name.replace(/\d+/, 'N'), lsmAdapter.fileFields(f.name, f.bytes).map((x) => x.name)]),
    );
    expect(kinds.get('N.log')).toContain('key');
    expect(kinds.get('N.sst')).toEqual(
      expect.arrayContaining(['shared', 'keyDelta', 'value', 'filterBits', 'blockHandle', 'magic']),
    );
    expect(kinds.get('MANIFEST-N')).toContain('tag');
  });
});
