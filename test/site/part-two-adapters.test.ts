/**
 * The B+tree and LSM workbench adapters, without a DOM: every scenario records, every step
 * gives a frame and a structure model, the last step of each command agrees with inspect(),
 * and the file splitters explain the files' bytes with the engines' own layouts.
 */
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../site/workbench/recorder.js';
import { frameAt } from '../../site/workbench/frame.js';
import { btreeAdapter, btreeStructure, btreeFields, longPuts } from '../../site/workbench/engines/btree.js';
import { lsmAdapter, lsmStructure } from '../../site/workbench/engines/lsm.js';
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
    for (const c of made) expect(c.output.filter((o) => o.kind === 'err' && !/EIO|failed|died|closed/.test(o.text))).toEqual([]);
  }
  for (let i = 0; i < rec.steps.length; i++) structure(rec, i);
  for (const c of rec.commands) {
    for (const f of c.after.disk.files) checkFields(ad.fileFields(f.name, f.bytes), f.bytes.length);
  }
  return rec;
}

describe('the btree adapter', () => {
  it('records every scenario and builds a structure at every step', () => {
    const rec = everyStep(btreeAdapter, (r, i) => btreeStructure(r, frameAt(r, i)));
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
    const s = btreeStructure(rec, frameAt(rec, rec.steps.length - 1));
    expect(s.tree?.type).toBe('branch');
  });

  it('shows the meta pages from the disk at each step: the new one only after the commit point', () => {
    const rec = new Recorder(btreeAdapter);
    rec.run('put a 1');
    const [sync] = rec.run('sync');
    const txids = (i: number): (number | undefined)[] => btreeStructure(rec, frameAt(rec, i)).metas.filter((m) => m.current).map((m) => m.txid);
    const first = txids(sync!.firstStep)[0]!;
    expect(txids(sync!.endStep - 1)).toEqual([first + 1]);
  });

  it('explains every byte of a page it decodes', () => {
    const rec = new Recorder(btreeAdapter);
    for (const l of longPuts(1, 5)) rec.run(l);
    rec.run('sync');
    const f = rec.commands.at(-1)!.after.disk.files.find((x) => x.name === 'btree.db')!;
    const fields = btreeFields(f.bytes);
    expect(fields.filter((x) => x.name === 'key').map((x) => x.text)).toContain('"k03"');
    expect(fields.filter((x) => x.name === 'txid').length).toBe(2);
  });

  it('keeps the page cache at the end of a command equal to inspect()', () => {
    const rec = new Recorder(btreeAdapter, { options: { cachePages: 4 } });
    rec.runScenario('cache');
    for (const c of rec.commands) {
      if (c.endStep === c.firstStep || !c.after.memory) continue;
      // The step before the last, rebuilt from events, holds the same pages as inspect() says.
      const f = frameAt(rec, c.endStep - 1);
      expect(f.memory?.rows.map((r) => r.id)).toEqual(c.after.memory.rows.map((r) => r.id));
    }
  });
});

describe('the lsm adapter', () => {
  it('records every scenario and builds a structure at every step', () => {
    const rec = everyStep(lsmAdapter, (r, i) => lsmStructure(r, frameAt(r, i)));
    const types = new Set(rec.steps.map((s) => s.event.type));
    for (const t of ['lsm.flush', 'lsm.compaction.pick', 'lsm.get.skip', 'lsm.bloom', 'lsm.recover']) expect(types).toContain(t);
  });

  it('follows the memtable and the tables step by step to what inspect() says', () => {
    const rec = new Recorder(lsmAdapter);
    rec.runScenario('compaction');
    for (const c of rec.commands) {
      if (c.endStep - c.firstStep < 2 || !c.after.memory) continue;
      const f = frameAt(rec, c.endStep - 2);
      const s = lsmStructure(rec, f);
      const after = lsmStructure(rec, frameAt(rec, c.endStep - 1));
      expect(s.memtable?.rows.map((r) => r.id)).toEqual(after.memtable?.rows.map((r) => r.id));
      expect(s.tables.map((t) => `${t.level}:${t.file}`).sort()).toEqual(after.tables.map((t) => `${t.level}:${t.file}`).sort());
    }
  });

  it("writes the bloom filter's answer on the table a get asked", () => {
    const rec = new Recorder(lsmAdapter);
    rec.runScenario('get');
    const answers = new Set<string>();
    for (let i = 0; i < rec.steps.length; i++) {
      for (const m of lsmStructure(rec, frameAt(rec, i)).marks.values()) answers.add(m.mark);
    }
    expect(answers).toContain('skip');
    expect([...answers].some((a) => a.startsWith('bloom-'))).toBe(true);
  });

  it('splits log, table and manifest files into fields', () => {
    const rec = new Recorder(lsmAdapter);
    rec.run('fill 20');
    const files = rec.commands.at(-1)!.after.disk.files;
    const kinds = new Map(files.map((f) => [f.name.replace(/\d+/, 'N'), lsmAdapter.fileFields(f.name, f.bytes).map((x) => x.name)]));
    expect(kinds.get('N.log')).toContain('key');
    expect(kinds.get('N.sst')).toEqual(expect.arrayContaining(['sharedLength', 'key', 'value', 'bloomBits', 'blockHandle', 'magic']));
    expect(kinds.get('MANIFEST-N')).toContain('versionEdit');
  });
});
