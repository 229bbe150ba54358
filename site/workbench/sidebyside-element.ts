/**
 * sidebyside-element.ts: <kv-sidebyside>, the side-by-side page's custom element: buttons and
 * a console that run on all four engines (sidebyside.ts), cards of each engine's numbers and a
 * bar chart per metric that moves as the numbers change.
 *
 * Attributes: data-commands (JSON console lines run at load; default: sidebyside.ts's START).
 */
import { select } from 'd3';
import { Recorder } from './recorder.js';
import { adapterFor } from './engines/index.js';
import type { FrameCounters } from './frame.js';
import { formatBytes } from './panes.js';
import { animate, duration } from './render/motion.js';
import { ENGINES, KEEPS, METRICS, START, WORKLOADS, now, runAll, type EngineNow } from './sidebyside.js';

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
  /** How often each workload button was pressed (a Fill's keys are new each time). */
  private presses = new Map<string, number>();

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
          const n = (this.presses.get(w.name) ?? 0) + 1;
          this.presses.set(w.name, n);
          for (const l of w.lines(n)) this.run(l, false);
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
    const start = this.dataset.commands ? (JSON.parse(this.dataset.commands) as string[]) : START;
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
        [
          'in memory',
          c?.memoryBytes !== null && c?.memoryBytes !== undefined ? `≈ ${formatBytes(c.memoryBytes)}` : '— (not open)',
        ],
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
      const vals = states.map((s) => ({
        engine: s.engine,
        v: m.key === 'memory' ? s.memory : Number(s.counters?.[m.key as keyof FrameCounters] ?? 0),
      }));
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
