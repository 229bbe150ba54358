/**
 * lsm-tuner-element.ts: <kv-lsm-tuner>, the LSM settings widget: selects for the engine's
 * settings and the compaction strategy, a slider over the workload's steps, and per strategy
 * a card with the write, read and space amplification at that step, a chart of the three over
 * every step, and the tables of each level (or run) at that step. The numbers come from
 * lsm-tuning.ts: each is a pure function of one recorded step.
 *
 * Attributes: data-strategy ('both' | 'leveled' | 'tiered', default 'both'); data-tuning
 * (JSON, part of an LsmTuning to start from).
 */
import { line, scaleLinear, select } from 'd3';
import { formatBytes } from './panes.js';
import {
  DEFAULT_TUNING,
  KNOBS,
  amplification,
  ratio,
  runTuned,
  strategiesOf,
  type Amplification,
  type LsmTuning,
  type StrategyChoice,
  type TunedRun,
} from './lsm-tuning.js';

const TEMPLATE = `
<form class="lt-knobs" aria-label="LSM settings"></form>
<div class="lt-step"><label><span>after step</span> <input class="lt-slider" type="range" min="0" step="1" aria-label="Workload step"></label> <span class="lt-step-label" aria-live="polite"></span></div>
<div class="lt-cards"></div>
<p class="lt-note">Write: bytes written to disk per byte put. Read: tables a get may look in (each L0 table or run, plus one per deeper level); measured over 40 gets, half for missing keys. Space: bytes on disk per live byte. Charts: every step, on scales shared by both cards. Boxes: one per table, as wide as its bytes; hatched ones hold tombstones.</p>`;

/** The three amplifications, how each is read off a step, and how it is printed. */
const METRICS: { key: keyof Amplification; label: string; fmt: (a: Amplification) => string }[] = [
  { key: 'write', label: 'write amp', fmt: (a) => `${ratio(a.write)}×` },
  { key: 'read', label: 'read amp', fmt: (a) => `${a.read} table${a.read === 1 ? '' : 's'}` },
  { key: 'space', label: 'space amp', fmt: (a) => `${ratio(a.space)}×` },
];

/** The LSM settings element. */
export class KvLsmTuner extends HTMLElement {
  tuning: LsmTuning = { ...DEFAULT_TUNING };
  choice: StrategyChoice = 'both';
  /** The recorded runs, one per strategy shown (tests read them). */
  runs: TunedRun[] = [];
  step = 0;

  connectedCallback(): void {
    if (this.dataset.ready) return;
    const root = document.createElement('div');
    root.className = 'lt';
    root.innerHTML = TEMPLATE;
    this.replaceChildren(root);
    if (this.dataset.tuning)
      this.tuning = { ...this.tuning, ...(JSON.parse(this.dataset.tuning) as Partial<LsmTuning>) };
    if (this.dataset.strategy) this.choice = this.dataset.strategy as StrategyChoice;
    this.buildKnobs();
    const slider = this.q<HTMLInputElement>('.lt-slider');
    slider.addEventListener('input', () => {
      this.step = Number(slider.value);
      this.draw();
    });
    this.rerun();
    this.dataset.ready = 'true';
  }

  /** One select per knob, and the strategy select. */
  private buildKnobs(): void {
    const form = select(this.q('.lt-knobs'));
    const add = (
      name: string,
      label: string,
      about: string,
      options: [string, string][],
      current: string,
      change: (v: string) => void,
    ): void => {
      const l = form.append('label').attr('title', about);
      l.append('span').text(label);
      const s = l.append('select').attr('data-knob', name);
      s.selectAll('option')
        .data(options)
        .join('option')
        .attr('value', (o) => o[0])
        .text((o) => o[1]);
      s.property('value', current);
      s.on('change', function () {
        change((this as HTMLSelectElement).value);
      });
    };
    for (const k of KNOBS) {
      add(
        k.key,
        k.label,
        k.about,
        k.choices.map((c) => [String(c), `${c} ${k.unit}`]),
        String(this.tuning[k.key]),
        (v) => {
          this.tuning = { ...this.tuning, [k.key]: Number(v) };
          this.rerun();
        },
      );
    }
    const strategies: [string, string][] = [
      ['both', 'leveled and tiered'],
      ['leveled', 'leveled'],
      ['tiered', 'size-tiered'],
    ];
    add(
      'compaction',
      'compaction',
      'leveled (LevelDB) or size-tiered (Cassandra STCS, RocksDB universal)',
      strategies,
      this.choice,
      (v) => {
        this.choice = v as StrategyChoice;
        this.rerun();
      },
    );
  }

  /** Runs the workload under the current settings (the real engine, on a memory disk) and redraws. */
  rerun(): void {
    this.runs = strategiesOf(this.choice).map((c) => runTuned(this.tuning, c));
    const n = this.runs[0]!.steps.length;
    const slider = this.q<HTMLInputElement>('.lt-slider');
    slider.max = String(n - 1);
    if (this.dataset.ready !== 'true') this.step = n - 1;
    this.step = Math.min(this.step, n - 1);
    slider.value = String(this.step);
    this.dataset.runs = String(Number(this.dataset.runs ?? 0) + 1);
    this.draw();
  }

  /** Draws every card at the current step. */
  private draw(): void {
    const step = this.step;
    const n = this.runs[0]!.steps.length;
    this.q('.lt-step-label').textContent = `${step + 1} of ${n}: ${this.runs[0]!.steps[step]!.label}`;
    const cards = select(this.q('.lt-cards'))
      .selectAll<HTMLElement, TunedRun>('section.lt-card')
      .data(this.runs, (r) => r.compaction)
      .join((enter) => {
        const s = enter.append('section').attr('class', 'lt-card');
        s.append('h4');
        s.append('dl');
        s.append('p').attr('class', 'lt-measured');
        s.append('svg').attr('class', 'lt-chart').attr('viewBox', '0 0 300 150').attr('role', 'img');
        s.append('div').attr('class', 'lt-levels');
        return s;
      })
      .attr('data-compaction', (r) => r.compaction);
    cards.select('h4').text((r) => (r.compaction === 'leveled' ? 'Leveled (LevelDB)' : 'Size-tiered (Cassandra STCS)'));
    // One scale per metric and one for table bytes, shared by the cards, so they compare at a glance.
    const all = this.runs.flatMap((r) => r.steps);
    const top = Object.fromEntries(
      METRICS.map((m) => [m.key, Math.max(1, ...all.map((s) => Number(amplification(s)[m.key])))]),
    ) as Record<string, number>;
    const most = Math.max(1, ...all.flatMap((s) => s.levels.map((l) => l.tables.reduce((n, t) => n + t.bytes, 0))));
    cards.each(function (run) {
      const card = select(this);
      const at = run.steps[step]!;
      const a = amplification(at);
      // The three numbers at this step.
      card
        .select('dl')
        .selectAll<HTMLDivElement, (typeof METRICS)[number]>('div')
        .data(METRICS)
        .join((enter) => {
          const d = enter.append('div');
          d.append('dt');
          d.append('dd');
          return d;
        })
        .attr('data-metric', (m) => m.key)
        .each(function (m) {
          select(this).select('dt').text(m.label);
          select(this).select('dd').text(m.fmt(a));
        });
      card
        .select('p.lt-measured')
        .text(
          `measured per get: ${ratio(a.readMeasured)} tables looked in, ${ratio(a.blocksPerGet)} blocks read · ${a.tables} tables, ${formatBytes(at.stats.diskBytes)} on disk for ${formatBytes(at.stats.liveBytes)} live`,
        );
      drawChart(card.select<SVGSVGElement>('svg.lt-chart'), run, step, top);
      drawLevels(card.select<HTMLDivElement>('div.lt-levels'), run, step, most);
    });
  }

  /** One element inside. */
  private q<T extends Element = HTMLElement>(sel: string): T {
    const el = this.querySelector<T>(sel);
    if (!el) throw new Error(`lsm tuner: missing ${sel}`);
    return el;
  }
}

/** The three amplifications over every step, each from 0 to `top` of its metric, with the current step marked. */
function drawChart(
  svg: ReturnType<typeof select<SVGSVGElement, unknown>>,
  run: TunedRun,
  step: number,
  top: Record<string, number>,
): void {
  const amps = run.steps.map(amplification);
  const x = scaleLinear()
    .domain([0, Math.max(1, amps.length - 1)])
    .range([70, 290]);
  svg.attr(
    'aria-label',
    `${run.compaction}: write, read and space amplification over the workload's ${amps.length} steps`,
  );
  const rows = svg
    .selectAll<SVGGElement, (typeof METRICS)[number]>('g.row')
    .data(METRICS, (m) => m.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'row');
      g.append('text').attr('class', 'name').attr('x', 0).attr('y', 20);
      g.append('text').attr('class', 'scale').attr('x', 0).attr('y', 36);
      g.append('line').attr('class', 'base').attr('x1', 70).attr('x2', 290).attr('y1', 40).attr('y2', 40);
      g.append('path').attr('class', 'line');
      g.append('circle').attr('class', 'now').attr('r', 4);
      return g;
    })
    .attr('data-metric', (m) => m.key)
    .attr('transform', (_, i) => `translate(0, ${i * 48})`);
  rows.each(function (m) {
    const vals = amps.map((a) => Number(a[m.key]));
    const y = scaleLinear().domain([0, top[m.key]!]).range([40, 6]);
    const g = select(this);
    g.select('text.name').text(m.label);
    g.select('text.scale').text(`0 to ${m.key === 'read' ? top[m.key] : ratio(top[m.key]!)}`);
    g.select('path.line').attr(
      'd',
      line<number>()
        .x((_, i) => x(i))
        .y((v) => y(v))(vals) ?? '',
    );
    g.select('circle.now').attr('cx', x(step)).attr('cy', y(vals[step]!));
  });
}

/** The tables of each level at the step: a row per level, a box per table as wide as its bytes (`most` bytes: the full width). */
function drawLevels(
  div: ReturnType<typeof select<HTMLDivElement, unknown>>,
  run: TunedRun,
  step: number,
  most: number,
): void {
  const levels = run.steps[step]!.levels;
  const rows = div
    .selectAll<HTMLDivElement, (typeof levels)[number]>('div.lt-level')
    .data(levels, (l) => String(l.level))
    .join((enter) => {
      const r = enter.append('div').attr('class', 'lt-level');
      r.append('span').attr('class', 'name');
      r.append('span').attr('class', 'boxes');
      return r;
    });
  rows
    .select('span.name')
    .text((l) =>
      run.compaction === 'tiered' && l.level === 0
        ? `${l.tables.length} run${l.tables.length === 1 ? '' : 's'}`
        : `L${l.level}`,
    );
  rows.select('span.boxes').each(function (l) {
    select(this)
      .selectAll<HTMLSpanElement, (typeof l.tables)[number]>('span.box')
      .data(l.tables, (t) => t.file)
      .join('span')
      .attr('class', (t) => `box${t.tombstones > 0 ? ' tomb' : ''}`)
      .attr('title', (t) => `${t.file}: ${formatBytes(t.bytes)}${t.tombstones ? `, ${t.tombstones} tombstones` : ''}`)
      .style('width', (t) => `${Math.max(0.6, (100 * t.bytes) / most)}%`);
  });
}

/** Registers <kv-lsm-tuner> once. */
export function defineLsmTuner(): void {
  if (!customElements.get('kv-lsm-tuner')) customElements.define('kv-lsm-tuner', KvLsmTuner);
}
