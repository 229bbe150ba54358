/**
 * sidebyside.ts: <kv-sidebyside>, one console driving all four engines at once. Each line the
 * reader types (or a workload button) runs on four Recorders (recorder.ts, the workbench's
 * own recording of the real engine on a memory disk), and the element compares what each has
 * done so far: bytes written and read, syncs, bytes on disk, bytes in memory, and what the
 * engine keeps in memory, as cards and as bar charts that move as the numbers change.
 *
 * Attributes: data-commands (JSON console lines run at load).
 */
import { select } from 'd3';
import type { EngineName } from '../../engines/kv.js';
import { Recorder, type OutputLine } from './recorder.js';
import { adapterFor } from './engines/index.js';
import { frameAt, type FrameCounters } from './frame.js';
import { formatBytes } from './panes.js';
import { animate, duration } from './render/motion.js';

const ENGINES: EngineName[] = ['snapshot', 'bitcask', 'btree', 'lsm'];

/** What each engine keeps in memory, in words. */
const KEEPS: Record<EngineName, string> = {
  snapshot: 'every key and every value (the whole dict)',
  bitcask: 'every key, with where its value is on disk (the keydir); no values',
  btree: 'a bounded cache of pages (here 8 of 512 B); the rest of the tree is on disk',
  lsm: 'recent writes (the memtable), plus each table’s index and bloom filter',
};

/** Workloads offered as buttons: console lines. */
export const WORKLOADS: { name: string; title: string; lines: string[] }[] = [
  { name: 'fill', title: 'Fill 100 keys, sync', lines: ['fill 100', 'sync'] },
  { name: 'overwrite', title: 'Overwrite 50 keys, sync', lines: ['fill 50', 'sync'] },
  { name: 'reads', title: 'Read 10 keys', lines: ['get key005', 'get key017', 'get key033', 'get key050', 'get key071', 'get key090', 'get key099', 'get nothing', 'get key005', 'get key017'] },
  { name: 'scan', title: 'Scan 20 keys', lines: ['scan key040 key060'] },
  { name: 'crash', title: 'Crash and reopen', lines: ['put unsynced 1', 'crash', 'reopen'] },
  { name: 'compact', title: 'Compact', lines: ['compact'] },
];

/** The numbers compared. */
const METRICS: { key: keyof FrameCounters | 'memory'; label: string }[] = [
  { key: 'bytesWritten', label: 'bytes written' },
  { key: 'bytesRead', label: 'bytes read' },
  { key: 'syncs', label: 'syncs (fsync calls)' },
  { key: 'diskBytes', label: 'bytes on disk now' },
  { key: 'memory', label: 'bytes in memory now (engine’s estimate)' },
];

/** One engine's numbers now. */
export interface EngineNow {
  engine: EngineName;
  counters: FrameCounters | null;
  memory: number;
  keys: number | null;
  /** The in-memory structure's title and size. */
  structure: string;
  files: string[];
  /** What the last command printed. */
  last: OutputLine[];
}

/** Runs `line` on every recorder; returns each engine's state after it. */
export function runAll(recs: Recorder[], line: string): EngineNow[] {
  const last = recs.map((r) => r.run(line).flatMap((c) => c.output.slice(1)));
  return recs.map((r, i) => now(r, last[i]!));
}

/** The state of one recorder at its last step. */
export function now(rec: Recorder, last: OutputLine[] = []): EngineNow {
  const f = rec.steps.length ? frameAt(rec, rec.steps.length - 1) : null;
  const mem = f?.memory ?? null;
  return {
    engine: rec.engine,
    counters: f ? f.counters : null,
    memory: f?.counters.memoryBytes ?? 0,
    keys: f?.counters.liveKeys ?? null,
    structure: mem ? `${mem.title.replace(/ \(in memory.*\)$/, '')}: ${mem.total} entr${mem.total === 1 ? 'y' : 'ies'}` : f?.state === 'crashed' ? 'nothing: the process died' : 'nothing: closed',
    files: f ? f.disk.files.map((x) => `${x.name} ${formatBytes(x.bytes.length)}`) : [],
    last,
  };
}

const TEMPLATE = `
<div class="sb-bar" role="group" aria-label="Workloads"></div>
<form class="sb-form"><span>›</span><input class="sb-input" type="text" spellcheck="false" autocomplete="off" autocapitalize="off" aria-label="One command for all four engines, e.g. put apple red" placeholder="put apple red · get apple · fill 50 · sync · crash · reopen"><button type="submit">run on all four</button></form>
<p class="sb-last" aria-live="polite"></p>
<div class="sb-cards"></div>
<div class="sb-charts"></div>`;

/** The side-by-side element. */
export class KvSideBySide extends HTMLElement {
  /** One recorder per engine (tests read them). */
  recorders: Recorder[] = [];
  private states: EngineNow[] = [];

  connectedCallback(): void {
    if (this.dataset.ready) return;
    const root = document.createElement('div');
    root.className = 'sb';
    root.innerHTML = TEMPLATE;
    this.replaceChildren(root);
    this.recorders = ENGINES.map((e) => new Recorder(adapterFor(e)));
    this.states = this.recorders.map((r) => now(r));
    const bar = select(this.q('.sb-bar'));
    for (const w of WORKLOADS) {
      bar
        .append('button')
        .attr('type', 'button')
        .attr('data-workload', w.name)
        .text(w.title)
        .on('click', () => {
          for (const l of w.lines) this.run(l, false);
          this.draw();
        });
    }
    const input = this.q<HTMLInputElement>('.sb-input');
    this.q('.sb-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const line = input.value;
      input.value = '';
      this.run(line);
    });
    const start = this.dataset.commands ? (JSON.parse(this.dataset.commands) as string[]) : [];
    for (const l of start) this.run(l, false);
    this.draw();
    this.dataset.ready = 'true';
  }

  /** Runs one line on all four engines. */
  run(line: string, draw = true): void {
    if (!line.trim()) return;
    this.states = runAll(this.recorders, line);
    this.q('.sb-last').textContent = `› ${line.trim()}`;
    this.dataset.count = String(Number(this.dataset.count ?? 0) + 1);
    if (draw) this.draw();
  }

  /** Draws the cards and the charts. */
  private draw(): void {
    const ms = duration(300);
    const cards = select(this.q('.sb-cards'))
      .selectAll<HTMLElement, EngineNow>('section.sb-card')
      .data(this.states, (d) => d.engine)
      .join((enter) => {
        const s = enter.append('section').attr('class', 'sb-card');
        s.append('h4');
        s.append('p').attr('class', 'keeps');
        s.append('dl');
        s.append('p').attr('class', 'out');
        s.append('p').attr('class', 'files');
        return s;
      })
      .attr('data-engine', (d) => d.engine);
    cards.select('h4').text((d) => d.engine);
    cards.select('p.keeps').text((d) => `Keeps in memory: ${KEEPS[d.engine]}. Now: ${d.structure}.`);
    cards.select('dl').each(function (d) {
      const c = d.counters;
      const rows: [string, string][] = [
        ['written', c ? formatBytes(c.bytesWritten) : '—'],
        ['read', c ? formatBytes(c.bytesRead) : '—'],
        ['syncs', c ? String(c.syncs) : '—'],
        ['on disk', c ? `${formatBytes(c.diskBytes)} in ${c.files} file${c.files === 1 ? '' : 's'}` : '—'],
        ['in memory', c?.memoryBytes !== null && c?.memoryBytes !== undefined ? `≈ ${formatBytes(c.memoryBytes)}` : '— (not open)'],
        ['keys', d.keys === null ? '—' : String(d.keys)],
      ];
      select(this)
        .selectAll<HTMLDivElement, [string, string]>('div')
        .data(rows)
        .join((enter) => {
          const div = enter.append('div');
          div.append('dt');
          div.append('dd');
          return div;
        })
        .attr('data-counter', (r) => r[0])
        .each(function (r) {
          select(this).select('dt').text(r[0]);
          select(this).select('dd').text(r[1]);
        });
    });
    cards.select('p.out').text((d) => {
      const lines = d.last.filter((l) => l.kind !== 'cmd').map((l) => l.text);
      return lines.length ? `said: ${lines.slice(-3).join(' · ')}` : '';
    });
    cards.select('p.files').text((d) => (d.files.length ? `files: ${d.files.join(', ')}` : 'no files'));

    // One bar chart per metric, the four engines in each.
    const charts = select(this.q('.sb-charts'))
      .selectAll<HTMLDivElement, (typeof METRICS)[number]>('div.sb-chart')
      .data(METRICS, (m) => m.key)
      .join((enter) => {
        const d = enter.append('div').attr('class', 'sb-chart');
        d.append('h4');
        return d;
      })
      .attr('data-metric', (m) => m.key);
    charts.select('h4').text((m) => m.label);
    const states = this.states;
    charts.each(function (m) {
      const vals = states.map((s) => ({ engine: s.engine, v: m.key === 'memory' ? s.memory : Number(s.counters?.[m.key as keyof FrameCounters] ?? 0) }));
      const max = Math.max(1, ...vals.map((x) => x.v));
      const rows = select(this)
        .selectAll<HTMLDivElement, (typeof vals)[number]>('div.row')
        .data(vals, (x) => x.engine)
        .join((enter) => {
          const r = enter.append('div').attr('class', 'row');
          r.append('span').attr('class', 'name');
          const track = r.append('span').attr('class', 'track');
          track.append('span').attr('class', 'bar').style('width', '0%');
          r.append('span').attr('class', 'val');
          return r;
        });
      rows.attr('data-engine', (x) => x.engine);
      rows.select('span.name').text((x) => x.engine);
      rows.select('span.val').text((x) => (m.key === 'syncs' ? String(x.v) : formatBytes(x.v)));
      animate(rows.select<HTMLSpanElement>('span.bar'), ms).style('width', (x) => `${(100 * x.v) / max}%`);
    });
  }

  /** One element inside. */
  private q<T extends Element = HTMLElement>(sel: string): T {
    const el = this.querySelector<T>(sel);
    if (!el) throw new Error(`sidebyside: missing ${sel}`);
    return el;
  }
}

/** Registers <kv-sidebyside> once. */
export function defineSideBySide(): void {
  if (!customElements.get('kv-sidebyside')) customElements.define('kv-sidebyside', KvSideBySide);
}
