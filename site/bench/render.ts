/**
 * render.ts: draws a chart model (charts.ts) as an SVG of grouped horizontal bars with d3.
 * Horizontal bars keep the labels readable at any width: the SVG is as wide as its box and
 * grows in height only, so it never overflows a phone. Colours come from CSS variables
 * (BenchChart.astro), so the light and dark themes both work; a limit's bar is hollow and
 * dashed (a ceiling, not a competitor); a latency chart shades its percentiles.
 */
import { axisTop, scaleLinear, scaleLog, select, type ScaleContinuousNumeric } from 'd3';
import { formatValue, type Bar, type ChartModel } from './charts.js';
import { byteUnit, decadeTicks, thinTicks } from './scale.js';
import { formatCount, trim } from './format.js';

/** Layout constants, in px. */
const BAR = 13;
const GAP = 3;
const HEAD = 22;
const GROUP_GAP = 10;
const AXIS = 26;
const FOOT = 30;
const LINE = 14;

/** Ids for the SVG's title and description must be unique on the page. */
let serial = 0;

/** A CSS-safe token of a subject name, for its colour variable. */
export function token(subject: string): string {
  return subject.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
}

/** Splits `text` at spaces into lines of at most `max` characters (a longer word gets a line of its own). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The percentile shade of a latency bar (1 for other charts). */
function shade(b: Bar): number {
  if (b.series.endsWith(':p99')) return 0.7;
  if (b.series.endsWith(':p99.9')) return 0.45;
  return 1;
}

/**
 * The axis ticks and their labels: decades on a log scale (thinned to `max`), round numbers
 * on a linear one; bytes tick at round numbers of one binary unit (0, 100 MiB, 200 MiB), and
 * decades of bytes print as counts (10k B), since 10,000 B is not a round number of KiB.
 */
function axisTicks(
  model: ChartModel,
  x: ScaleContinuousNumeric<number, number>,
  max: number,
): { ticks: number[]; label: (v: number) => string } {
  if (model.scale.type === 'log') {
    const ticks = thinTicks(decadeTicks(model.scale.domain), max);
    return { ticks, label: (v) => (model.format === 'bytes' ? `${formatCount(v)} B` : formatValue(model.format, v)) };
  }
  if (model.format === 'bytes') {
    const unit = byteUnit(model.scale.domain[1]);
    const ticks = scaleLinear()
      .domain([model.scale.domain[0] / unit.size, model.scale.domain[1] / unit.size])
      .ticks(max)
      .map((t) => t * unit.size);
    return { ticks, label: (v) => (v === 0 ? '0' : `${trim(v / unit.size)} ${unit.name}`) };
  }
  return { ticks: x.ticks(max), label: (v) => formatValue(model.format, v) };
}

/** Draws `model` into `el` at `width` px, replacing what was there. */
export function renderChart(el: HTMLElement, model: ChartModel, width: number): void {
  const W = Math.max(260, Math.floor(width));
  const narrow = W < 560;
  const labelW = narrow ? 62 : 96;
  const valueW = narrow ? 58 : 74;
  const x0 = labelW + 6;
  const x1 = W - valueW;
  const x: ScaleContinuousNumeric<number, number> =
    model.scale.type === 'log'
      ? scaleLog().domain(model.scale.domain).range([x0, x1]).clamp(true)
      : scaleLinear().domain(model.scale.domain).range([x0, x1]).clamp(true);

  // Vertical positions: each group has a heading row, then one row per bar.
  let y = AXIS;
  const rows: { bar: Bar; y: number; group: string }[] = [];
  const heads: { lines: string[]; y: number }[] = [];
  for (const g of model.groups) {
    // A heading wraps at word boundaries when it is wider than the chart (about 6.8 px a character).
    const lines = wrap(g.label, Math.floor(W / 6.8));
    heads.push({ lines, y: y + HEAD - 7 });
    y += HEAD + (lines.length - 1) * LINE;
    for (const bar of g.bars) {
      rows.push({ bar, y, group: g.key });
      y += BAR + GAP;
    }
    y += GROUP_GAP;
  }
  // The axis label names the scale and which way is better: one line, or two on a phone.
  const better = model.better === 'higher' ? 'longer is better' : 'shorter is better';
  const footLines = narrow ? [model.axis, better] : [`${model.axis} · ${better}`];
  const H = y + FOOT - GROUP_GAP + (footLines.length - 1) * LINE;

  const id = `bc-${model.id}-${++serial}`;
  const root = select(el);
  root.selectAll('svg').remove();
  const svg = root
    .append('svg')
    .attr('class', 'bc-svg')
    .attr('width', W)
    .attr('height', H)
    .attr('viewBox', `0 0 ${W} ${H}`)
    .attr('role', 'img')
    .attr('aria-labelledby', `${id}-t ${id}-d`);
  svg.append('title').attr('id', `${id}-t`).text(model.title);
  svg.append('desc').attr('id', `${id}-d`).text(`${model.description} Axis: ${model.axis}.`);

  // The axis on top, with grid lines down through every group.
  const { ticks, label } = axisTicks(model, x, Math.max(2, Math.floor((x1 - x0) / (narrow ? 48 : 70))));
  const axis = axisTop(x)
    .tickValues(ticks)
    .tickFormat((v) => label(Number(v)))
    .tickSizeOuter(0);
  svg
    .append('g')
    .attr('class', 'bc-axis')
    .attr('transform', `translate(0,${AXIS - 6})`)
    .call(axis);
  svg
    .append('g')
    .attr('class', 'bc-grid')
    .selectAll('line')
    .data(model.scale.type === 'log' ? decadeTicks(model.scale.domain) : ticks)
    .join('line')
    .attr('x1', (t) => x(t))
    .attr('x2', (t) => x(t))
    .attr('y1', AXIS - 6)
    .attr('y2', H - FOOT + 4);

  // Group headings.
  svg
    .append('g')
    .attr('class', 'bc-heads')
    .selectAll('text')
    .data(heads)
    .join('text')
    .attr('class', 'bc-head')
    .attr('x', 0)
    .attr('y', (h) => h.y)
    .selectAll('tspan')
    .data((h) => h.lines)
    .join('tspan')
    .attr('x', 0)
    .attr('dy', (_, i) => (i === 0 ? 0 : LINE))
    .text((l) => l);

  // One row per bar: label, bar (or the gap's reason), value.
  const row = svg
    .append('g')
    .attr('class', 'bc-rows')
    .selectAll<SVGGElement, (typeof rows)[number]>('g.bc-row')
    .data(rows)
    .join('g')
    .attr('class', (r) => `bc-row k-${r.bar.kind} st-${r.bar.status}`)
    .attr('data-series', (r) => r.bar.subject)
    .attr('data-group', (r) => r.group)
    .attr('transform', (r) => `translate(0,${r.y})`)
    .style('--c', (r) => `var(--bc-${token(r.bar.subject)}, var(--bc-other))`);
  row.append('title').text((r) => r.bar.detail);
  row
    .append('text')
    .attr('class', 'bc-label')
    .attr('x', labelW)
    .attr('y', BAR - 3)
    .attr('text-anchor', 'end')
    .text((r) => r.bar.label);
  const drawn = row.filter((r) => r.bar.value !== null);
  // A zero on a log scale (or at the origin) has no length: a thin mark at the axis says "0".
  const end = (b: Bar) => (b.value! > 0 ? x(b.value!) : x0);
  drawn
    .append('rect')
    .attr('class', (r) => `bar${r.bar.value === 0 ? ' zero' : ''}`)
    .attr('data-series', (r) => r.bar.subject)
    .attr('x', x0)
    .attr('y', 0)
    .attr('height', BAR)
    .attr('width', (r) => Math.max(2, end(r.bar) - x0))
    .attr('fill-opacity', (r) => (r.bar.kind === 'limit' ? 0.25 * shade(r.bar) : shade(r.bar)));
  drawn
    .append('text')
    .attr('class', 'bc-value')
    .attr('x', (r) => Math.max(x0 + 2, end(r.bar)) + 4)
    .attr('y', BAR - 3)
    .text((r) => r.bar.text);
  row
    .filter((r) => r.bar.value === null)
    .append('text')
    .attr('class', 'bc-gap')
    .attr('x', x0 + 4)
    .attr('y', BAR - 3)
    .text((r) => (r.bar.status === 'failed' ? `✗ ${r.bar.text}` : r.bar.text));

  // The axis label, naming the scale.
  svg
    .append('text')
    .attr('class', 'bc-axis-label')
    .attr('y', H - 10 - (footLines.length - 1) * LINE)
    .selectAll('tspan')
    .data(footLines)
    .join('tspan')
    .attr('x', narrow ? 0 : x0)
    .attr('dy', (_, i) => (i === 0 ? 0 : LINE))
    .text((l) => l);
}
