/**
 * sidebyside.test.ts: the side-by-side page's numbers are the engines' own, and its lesson's
 * claims about memory hold for the workloads its buttons run.
 */
import { describe, expect, it } from 'vitest';
import type { EngineName } from '../../engines/browser.js';
import { Recorder } from '../../site/workbench/recorder.js';
import { adapterFor } from '../../site/workbench/engines/index.js';
import { frameAt } from '../../site/workbench/frame.js';
import { START, WORKLOADS, now, runAll } from '../../site/workbench/sidebyside.js';

const ENGINES: EngineName[] = ['snapshot', 'bitcask', 'btree', 'lsm'];

/** Four recorders after the page's start and `fills` presses of Fill. */
function page(fills: number): Recorder[] {
  const recs = ENGINES.map((e) => new Recorder(adapterFor(e)));
  for (const l of START) runAll(recs, l);
  const fill = WORKLOADS.find((w) => w.name === 'fill')!;
  for (let n = 1; n <= fills; n++) for (const l of fill.lines(n)) runAll(recs, l);
  return recs;
}

/** Each engine's memory estimate now. */
const memory = (recs: Recorder[]): Record<string, number> =>
  Object.fromEntries(recs.map((r) => [r.engine, now(r).memory]));

describe('the side-by-side page', () => {
  it("shows each engine's own numbers: the cards and bars read the frame of its last step", () => {
    const recs = page(1);
    for (const r of recs) {
      const f = frameAt(r, r.steps.length - 1);
      const n = now(r);
      expect(n.counters).toEqual(f.counters);
      expect(n.memory).toBe(f.stats!.memoryBytes);
      expect(n.keys).toBe(f.stats!.liveKeys);
      expect(n.keys).toBe(200);
    }
  });

  it('puts new keys at every Fill, so the stores grow', () => {
    const keys = (recs: Recorder[]): number[] => recs.map((r) => now(r).keys ?? -1);
    expect(keys(page(0))).toEqual([100, 100, 100, 100]);
    expect(keys(page(2))).toEqual([300, 300, 300, 300]);
  });

  it("bears out the lesson: the snapshot's memory grows with keys and values, Bitcask's by less, the B+tree's stops at its cache", () => {
    const one = memory(page(1));
    const three = memory(page(3));
    // Values are not in Bitcask's memory: per key it holds less than the snapshot.
    expect(three.bitcask!).toBeLessThan(three.snapshot!);
    expect(three.snapshot! - one.snapshot!).toBeGreaterThan(three.bitcask! - one.bitcask!);
    // The B+tree's cache is bounded: more keys do not grow it.
    expect(three.btree!).toBeLessThanOrEqual(one.btree! * 1.05);
  });

  it('rewrites existing keys on Overwrite: keys stay, bytes written grow', () => {
    const recs = page(0);
    const before = recs.map((r) => now(r));
    const overwrite = WORKLOADS.find((w) => w.name === 'overwrite')!;
    for (const l of overwrite.lines(1)) runAll(recs, l);
    recs.forEach((r, i) => {
      expect(now(r).keys).toBe(before[i]!.keys);
      expect(now(r).counters!.bytesWritten).toBeGreaterThan(before[i]!.counters!.bytesWritten);
    });
  });
});
