/**
 * agreement.test.ts: one truth at every step. Every scenario of every workbench on every
 * lesson page is replayed, and at every step the facts that two panes show (or a pane and the
 * engine) must agree: the disk the panes draw and the memory file system's bytes, what is not
 * yet durable, bytes and files on disk against the engine's stats(), key counts, the pages in
 * the cache, hits and misses, the tables and files that exist, and what a crash says it lost.
 * This is the test that keeps the site honest when a pane or an engine changes.
 */
import { describe, expect, it } from 'vitest';
import type { MemoryFileSystem } from '../../engines/storage/memory.js';
import { Recorder } from '../../site/workbench/recorder.js';
import { adapterFor } from '../../site/workbench/engines/index.js';
import { frameAt, type Frame } from '../../site/workbench/frame.js';
import { describeEvent, filesModel } from '../../site/workbench/panes.js';
import { crashAt, crashPoints, CRASH_WORKLOAD } from '../../site/workbench/crashlab.js';
import { btreeStructure } from '../../site/workbench/engines/btree/structure.js';
import { lsmStructure } from '../../site/workbench/engines/lsm/structure.js';
import type { BtreeInspect } from '../../engines/btree/inspect.js';
import { lessonWidgets } from './lessons.js';
import { LEGEND } from '../../site/workbench/render/legend.js';

/** The kinds the files pane's legend can name. */
const LEGEND_KINDS = LEGEND.map(([k]) => k as string);

/** What the memory file system held right after a step. */
interface Truth {
  files: Map<string, { bytes: string; unsynced: number }>;
}

/** The store directory's files (no LOCK) and their unsynced bytes, from the file system itself. */
function truthOf(fs: MemoryFileSystem, dir: string): Truth {
  const files = new Map<string, { bytes: string; unsynced: number }>();
  if (!fs.exists(dir)) return { files };
  for (const name of fs.quietly(() => fs.list(dir))) {
    if (name === 'LOCK') continue;
    const bytes = fs.peek(`${dir}/${name}`) ?? new Uint8Array(0);
    let unsynced = 0;
    for (const [a, b] of fs.unsyncedRanges(`${dir}/${name}`)) unsynced += Math.max(0, Math.min(b, bytes.length) - a);
    files.set(name, { bytes: Buffer.from(bytes).toString('hex'), unsynced });
  }
  return { files };
}

/** A note's value in the memory pane. */
const note = (f: Frame, name: string): string | undefined => f.memory?.notes.find(([n]) => n === name)?.[1];

/** Checks every fact two panes can both show at frame `f`. */
function checkFrame(rec: Recorder, f: Frame, truth: Truth, where: string): void {
  // The disk the panes draw is the disk the engine wrote, byte for byte, with what is unsynced.
  const drawn = new Map(
    f.disk.files.map((x) => [
      x.name,
      { bytes: Buffer.from(x.bytes).toString('hex'), unsynced: x.unsynced.reduce((n, [a, b]) => n + b - a, 0) },
    ]),
  );
  expect([...drawn.keys()], `${where}: files`).toEqual([...truth.files.keys()]);
  for (const [name, t] of truth.files) {
    const d = drawn.get(name)!;
    expect(d.bytes === t.bytes, `${where}: bytes of ${name}`).toBe(true);
    expect(d.unsynced, `${where}: unsynced bytes of ${name}`).toBe(t.unsynced);
  }
  // Every event reads as a sentence, never as raw JSON.
  expect(describeEvent(f.event, rec.adapter), `${where}: caption`).not.toMatch(/\{"/);
  // The files pane lists exactly the files of the disk, with their sizes.
  const files = filesModel(f, rec.adapter);
  expect(
    files.map((x) => [x.name, x.size]),
    `${where}: files pane`,
  ).toEqual(f.disk.files.map((x) => [x.name, x.bytes.length]));
  // Every field's colour is the one its engine's describer declared, and the legend names it.
  for (const file of files) {
    for (const x of file.fields) {
      expect(x.kind, `${where}: ${file.name} ${x.name} has a declared kind`).toBeDefined();
      expect(LEGEND_KINDS, `${where}: ${file.name} ${x.name}'s colour is in the legend`).toContain(x.kind);
    }
  }
  // Counters against the engine's own stats() at this step.
  const s = f.stats;
  if (s) {
    expect(f.counters.diskBytes, `${where}: bytes on disk`).toBe(s.diskBytes);
    expect(f.counters.files, `${where}: files on disk`).toBe(s.files);
    expect(f.counters.liveKeys, `${where}: keys`).toBe(s.liveKeys);
    expect(f.counters.memoryBytes, `${where}: memory`).toBe(s.memoryBytes);
  }
  // The keys the memory pane names and the keys the counters show.
  const keys = note(f, 'keys');
  if (keys !== undefined && f.counters.liveKeys !== null)
    expect(Number(keys), `${where}: keys note`).toBe(f.counters.liveKeys);
  if (f.state !== 'open') expect(f.memory, `${where}: nothing in memory when no store is open`).toBeNull();

  if (rec.engine === 'btree' && f.inspect) {
    const i = f.inspect as BtreeInspect;
    const m = btreeStructure(f);
    // The cache: the pane's rows, its note, the picture's header and the page map.
    const rows = f.memory!.rows.map((r) => Number(r.id.slice(5))).sort((a, b) => a - b);
    expect(rows, `${where}: cached pages`).toEqual([...m.cached.keys()].sort((a, b) => a - b));
    expect(note(f, 'cached pages'), `${where}: cache note`).toBe(`${m.cached.size} of ${m.cacheCapacity}`);
    expect(note(f, 'cache hits'), `${where}: hits`).toBe(String(m.counts!.hits));
    expect(note(f, 'cache misses'), `${where}: misses`).toBe(String(m.counts!.misses));
    for (const p of m.pages) expect(p.cached, `${where}: page ${p.id} cached`).toBe(m.cached.has(p.id));
    // A page's key count is the same in the tree and in the cache pane.
    const keysOf = new Map<number, number>();
    const walk = (p: BtreeInspect['tree']): void => {
      keysOf.set(p.id, p.keyCount);
      for (const c of p.children ?? []) walk(c);
    };
    walk(i.tree);
    for (const r of f.memory!.rows) {
      const id = Number(r.id.slice(5));
      const k = /(\d+) keys?/.exec(r.cells[0]!)?.[1];
      if (k !== undefined) expect(Number(k), `${where}: keys of page ${id}`).toBe(keysOf.get(id));
    }
    // Every page the tree draws is in the file's page map as a tree page, or a page not yet written.
    for (const id of keysOf.keys()) {
      const p = m.pages.find((x) => x.id === id);
      expect(p, `${where}: page ${id} of the tree is in the page map`).toBeDefined();
      expect(['leaf', 'branch', 'unwritten', 'free', 'freelist', 'overflow', 'meta'], `${where}: page ${id}`).toContain(
        p!.kind,
      );
    }
  }
  if (rec.engine === 'lsm' && f.inspect) {
    const m = lsmStructure(f);
    // Every table the levels show exists on disk, and the pane counts both memtables.
    for (const t of m.tables)
      expect(
        f.disk.files.some((x) => x.name === t.file),
        `${where}: ${t.file} on disk`,
      ).toBe(true);
    const i = f.inspect as Extract<typeof f.inspect, { engine: 'lsm' }>;
    expect(f.memory!.total, `${where}: memtable entries`).toBe(i.memtable.entries + (i.immutable?.entries ?? 0));
    expect(m.immutable?.length ?? 0, `${where}: frozen memtable rows`).toBe(
      f.memory!.rows.filter((r) => r.group).length,
    );
  }
}

/** A recorder for one lesson widget that records the file system's state after every step. */
function recordWidget(
  engine: string,
  options: Record<string, unknown>,
  lines: string[],
): { rec: Recorder; truths: Truth[] } {
  const truths: Truth[] = [];
  const rec = new Recorder(adapterFor(engine), { options, onStep: (i, fs) => (truths[i] = truthOf(fs, '/db')) });
  for (const l of lines) rec.run(l);
  return { rec, truths };
}

describe.each(
  lessonWidgets().map(
    (w, i) => [`${w.page} #${i + 1} (${w.engine}${w.scenario ? `, ${w.scenario}` : ''})`, w] as const,
  ),
)('the workbench on %s', (_, w) => {
  it('shows one truth at every step of every scenario it offers', () => {
    const ad = adapterFor(w.engine);
    const offered = w.scenarios ?? ad.scenarios.map((s) => s.name);
    const lines = [...w.commands, ...(w.scenario ? [`run ${w.scenario}`] : []), ...offered.map((s) => `run ${s}`)];
    const { rec, truths } = recordWidget(w.engine, w.options, lines);
    expect(rec.sideEffects, 'inspect() and stats() did no I/O').toBe(0);
    for (let i = 0; i < rec.steps.length; i++) {
      const f = frameAt(rec, i);
      checkFrame(rec, f, truths[i]!, `${w.page} ${w.engine} step ${i} (${f.command.text}: ${f.event.type})`);
    }
  });
});

describe('what a crash says it lost', () => {
  it('counts the writes that lived only in memory (the snapshot dict, the B+tree cache)', () => {
    for (const [engine, lines, lost] of [
      ['snapshot', ['put a 1', 'sync', 'put b 2', 'put c 3'], /2 writes held only in the dict/],
      ['btree', ['put a 1', 'sync', 'put b 2'], /dirty page held only in the cache/],
    ] as const) {
      const { rec } = recordWidget(engine, {}, [...lines, 'crash']);
      const text = rec.commands
        .at(-1)!
        .output.map((o) => o.text)
        .join(' ');
      expect(text, engine).toMatch(lost);
      rec.run('reopen');
      rec.run('scan');
      const printed = rec.commands.at(-1)!.output.map((o) => o.text);
      expect(printed, engine).toEqual(['scan', 'a = 1', '(1 pair)']);
    }
  });
});

describe('the crash lab', () => {
  it.each(['snapshot', 'bitcask', 'btree', 'lsm'] as const)(
    '%s: every crash point keeps the rule, and its recovery reads as sentences',
    (engine) => {
      for (const p of crashPoints(engine, CRASH_WORKLOAD)) {
        for (const torn of [false, true]) {
          const r = crashAt(engine, CRASH_WORKLOAD, p.index, torn);
          expect(r.holds, `${engine} point ${p.index}${torn ? ' torn' : ''}: ${r.error ?? ''}`).toBe(true);
          for (const line of r.recovery) expect(line, `${engine} point ${p.index}`).not.toMatch(/\{"/);
          // What was lost counts the acknowledged commands that did not come back.
          expect(r.lost, `${engine} point ${p.index}`).toMatch(
            new RegExp(`${Math.max(0, r.completed - r.prefix)} acknowledged command`),
          );
        }
      }
    },
  );
});
