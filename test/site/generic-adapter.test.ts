/**
 * generic-adapter.test.ts: the workbench draws an engine it has no adapter for (a learner's)
 * from the contract alone: the memory pane lists inspect() field by field, and adapterFor()
 * picks the generic adapter for any engine registered at run time.
 */
import { describe, it, expect } from 'vitest';
import { openStore, registerEngine, MemoryFileSystem } from '../../engines/index.js';
import type { EngineName, EngineSnapshot } from '../../engines/index.js';
import { adapterFor } from '../../site/workbench/engines/index.js';
import { genericMemory } from '../../site/workbench/engines/generic.js';
import { crashAt, crashPoints } from '../../site/workbench/crashlab.js';
import { join } from 'node:path';
import { ROOT, loadEngineFrom } from '../../track/learners.js';

describe('the generic workbench adapter', () => {
  it('lists every field of an inspect() picture, one row per element of an array field', () => {
    const pic = {
      engine: 'mine',
      keys: 3,
      files: ['000001.data', '000002.data'],
      active: 2,
    } as unknown as EngineSnapshot;
    const m = genericMemory(pic, null);
    expect(m.rows.map((r) => r.id)).toEqual(['keys', 'files[0]', 'files[1]', 'active']);
    expect(m.rows.find((r) => r.id === 'files[1]')!.cells).toEqual(['000002.data']);
    expect(m.total).toBe(4);
  });

  it('is what adapterFor gives for an engine registered at run time, and its scenarios use only the contract', () => {
    registerEngine('wrapped-bitcask', { open: (o) => openStore('bitcask', o) });
    const a = adapterFor('wrapped-bitcask');
    expect(a.engine).toBe('wrapped-bitcask');
    expect(a.structure).toBeUndefined();
    expect(adapterFor('bitcask').engine).toBe('bitcask');
    const db = openStore('wrapped-bitcask' as EngineName, { dir: '/g', fs: new MemoryFileSystem() });
    db.put('a', '1');
    const m = a.memory(db.inspect(), db.stats());
    expect(m.rows.length).toBeGreaterThan(0);
    expect(m.notes).toContainEqual(['live keys', '1']);
    db.close();
  });

  it("runs the crash lab's power cut at every file-system call on a learner's engine, which keeps the rule at each", async () => {
    await loadEngineFrom('learner-bitcask', join(ROOT, 'test/track/learner-bitcask'));
    const workload = ['put a 1', 'put b 2', 'sync', 'put c 3', 'delete a', 'sync', 'put d 4'];
    const points = crashPoints('learner-bitcask' as EngineName, workload);
    expect(points.length).toBeGreaterThan(5);
    for (const p of points) {
      for (const torn of [false, true]) {
        const r = crashAt('learner-bitcask' as EngineName, workload, p.index, torn);
        expect(r.error, `crash at ${p.index} (${p.text})`).toBeUndefined();
        expect(r.holds, `crash at ${p.index} (${p.text}), torn ${torn}: recovered ${JSON.stringify(r.recovered)}`).toBe(
          true,
        );
      }
    }
  });
});
