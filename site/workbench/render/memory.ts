/**
 * memory.ts: draws the in-memory pane (the dict, the keydir) as an SVG table of entry boxes,
 * in key order, column by column. Entries keep their identity across steps (keyed by key), so
 * an insert slides the others along and a delete fades out.
 */
import { select, type Selection } from 'd3';
import { animate } from './motion.js';
import type { MemoryPicture, MemoryRow } from '../adapter.js';
import type { StoreState } from '../recorder.js';

/** The most entries drawn by default; the rest are counted. */
const MAX_ROWS = 64;
const ROW_H = 22;
const HEAD_H = 22;

/** Draws `mem` into the SVG `svg` of width `width`, at most `maxRows` entries. */
export function renderMemory(
  svg: SVGSVGElement,
  width: number,
  mem: MemoryPicture | null,
  state: StoreState,
  focusKey: string | undefined,
  ms: number,
  maxRows = MAX_ROWS,
  opening = false,
): void {
  const root = select(svg);
  // Fixed layers, in drawing order, so the DOM is the same however a step was reached.
  for (const layer of ['heads', 'entries'])
    if (root.select(`g.${layer}`).empty()) root.append('g').attr('class', layer);
  if (!mem) {
    // The process is gone (a crash) or the store is closed: memory holds nothing.
    root.attr('viewBox', `0 0 ${width} 90`).attr('height', 90);
    root.select('g.entries').selectAll('*').remove();
    root.selectAll('text.none, text.more').remove();
    root.select('g.heads').selectAll('*').remove();
    const msg = opening
      ? 'Opening: recovery is reading the files; nothing is in memory yet.'
      : state === 'crashed'
        ? 'The process died: everything in memory is gone.'
        : 'The store is closed: nothing in memory.';
    const t = root.selectAll<SVGTextElement, string>('text.empty').data([msg]);
    t.join('text')
      .attr('class', 'empty')
      .attr('x', width / 2)
      .attr('y', 40)
      .attr('text-anchor', 'middle')
      .text((d) => d);
    root
      .selectAll<SVGTextElement, string>('text.empty-hint')
      .data([
        opening ? 'step on to watch it load' : state === 'crashed' ? 'type reopen to recover from disk' : 'type reopen',
      ])
      .join('text')
      .attr('class', 'empty-hint')
      .attr('x', width / 2)
      .attr('y', 62)
      .attr('text-anchor', 'middle')
      .text((d) => d);
    return;
  }
  root.selectAll('text.empty, text.empty-hint').remove();
  // A phone-width pane shows fewer entries; the count of the rest is written under them.
  const shown = mem.rows.slice(0, maxRows);
  const more = mem.total - shown.length;
  // A group of rows (the frozen memtable) gets a heading line before its first row.
  const rows = withHeadings(shown);
  // Columns of entries: as many as fit at a readable width.
  const entryW = 170;
  // As many columns as fit, but no more than the entries need (8 to a column before another).
  const cols = Math.max(1, Math.min(4, Math.floor((width + 8) / (entryW + 8)), Math.ceil(rows.length / 8)));
  const perCol = Math.max(6, Math.ceil(rows.length / cols));
  const w = Math.floor((width - (cols - 1) * 8) / cols);
  const xs = columnStarts(mem, rows, w);
  const usedRows = Math.min(perCol, Math.max(rows.length, 1));
  const height = HEAD_H + usedRows * ROW_H + (more > 0 ? 22 : 6);
  root.attr('viewBox', `0 0 ${width} ${height}`).attr('height', height);

  // Column headings over each column.
  const heads = Array.from({ length: Math.min(cols, Math.max(1, Math.ceil(rows.length / perCol))) }, (_, c) => c);
  root
    .select('g.heads')
    .selectAll<SVGGElement, number>('g.head')
    .data(heads)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'head');
      return g;
    })
    .attr('transform', (c) => `translate(${c * (w + 8)},0)`)
    .each(function () {
      const g = select(this);
      g.selectAll<SVGTextElement, string>('text')
        .data(mem.columns)
        .join('text')
        .attr('class', 'colhead')
        .attr('y', 15)
        .attr('x', (_, k) => xs[k]! + 4)
        .text((d) => d);
    });

  const pos = (i: number): [number, number] => [Math.floor(i / perCol) * (w + 8), HEAD_H + (i % perCol) * ROW_H];
  const g = root.select<SVGGElement>('g.entries');
  const sel = g.selectAll<SVGGElement, MemoryRow>('g.entry').data(rows, rowKey);
  animate(sel.exit(), ms).style('opacity', 0).remove();
  const enter = sel
    .enter()
    .append('g')
    .attr('class', 'entry')
    .attr('transform', (d) => `translate(${pos(rows.indexOf(d)).join(',')})`)
    .style('opacity', 0);
  enter
    .append('rect')
    .attr('class', 'box')
    .attr('height', ROW_H - 3)
    .attr('rx', 3);
  const all = enter.merge(sel);
  all.each(function (d) {
    if (isHeading(d)) drawHeading(select(this), d);
    else drawCells(select(this), d, w, xs);
  });
  all.classed('focus', (d) => d.id === focusKey && !isHeading(d));
  all.classed('grouped', (d) => d.group !== undefined && !isHeading(d));
  all.classed('ghead', (d) => isHeading(d));
  animate(all, ms)
    .style('opacity', 1)
    .attr('transform', (d) => {
      const [x, y] = pos(rows.indexOf(d));
      return `translate(${x},${y})`;
    });

  // An empty structure says so, rather than showing bare headings.
  root
    .selectAll<SVGTextElement, string>('text.none')
    .data(rows.length === 0 ? ['(empty)'] : [])
    .join('text')
    .attr('class', 'none')
    .attr('x', 4)
    .attr('y', HEAD_H + 14)
    .text((d) => d);

  // "... and N more" when inspect() or the pane cut the list.
  root
    .selectAll<SVGTextElement, number>('text.more')
    .data(more > 0 ? [more] : [])
    .join('text')
    .attr('class', 'more')
    .attr('x', 4)
    .attr('y', height - 6)
    .text((d) => `… and ${d} more`);
}

/** A heading line's pseudo-row id prefix. */
const HEADING = '\u0000heading:';

/** True for a heading pseudo-row. */
function isHeading(r: MemoryRow): boolean {
  return r.id.startsWith(HEADING);
}

/** The d3 key of a row: a grouped row and an ungrouped one may share a key (the same key in both memtables). */
function rowKey(r: MemoryRow): string {
  return r.group !== undefined && !isHeading(r) ? `${r.group}|${r.id}` : r.id;
}

/** The rows with a heading pseudo-row before each group's first row. */
function withHeadings(rows: MemoryRow[]): MemoryRow[] {
  const out: MemoryRow[] = [];
  let group: string | undefined;
  for (const r of rows) {
    if (r.group !== undefined && r.group !== group) out.push({ id: HEADING + r.group, cells: [], group: r.group });
    group = r.group;
    out.push(r);
  }
  return out;
}

/** Draws a group's heading: its text, no box. */
function drawHeading(g: Selection<SVGGElement, MemoryRow, null, undefined>, d: MemoryRow): void {
  g.select('rect.box').attr('width', 0);
  g.selectAll('line.sep').remove();
  g.selectAll<SVGTextElement, string>('text')
    .data([d.group ?? ''])
    .join('text')
    .attr('class', 'gh')
    .attr('x', 2)
    .attr('y', ROW_H / 2 + 2)
    .text((t) => t);
}

/** Pixels per character of the pane's monospace text. */
const CHAR_W = 6.7;

/**
 * Where each column starts in an entry `w` pixels wide: columns get room in proportion to the
 * longest text they hold (header included), so short columns do not take space long ones need.
 */
function columnStarts(mem: MemoryPicture, rows: readonly MemoryRow[], w: number): number[] {
  const n = mem.columns.length;
  const need = mem.columns.map((c) => c.length);
  for (const r of rows) {
    if (isHeading(r)) continue;
    need[0] = Math.max(need[0]!, r.id.length);
    r.cells.forEach((c, k) => (need[k + 1] = Math.max(need[k + 1] ?? 0, c.length)));
  }
  const px = need.slice(0, n).map((c) => c * CHAR_W + 10);
  const total = px.reduce((a, b) => a + b, 0);
  // Spare room is shared out evenly; a shortfall is taken from every column in proportion.
  const widths = total <= w ? px.map((p) => p + (w - total) / n) : px.map((p) => (p * w) / total);
  const starts: number[] = [];
  let x = 0;
  for (const cw of widths) {
    starts.push(Math.round(x));
    x += cw;
  }
  starts.push(w);
  return starts;
}

/** Draws the key and cells of one entry, its columns starting at `xs`. */
function drawCells(g: Selection<SVGGElement, MemoryRow, null, undefined>, d: MemoryRow, w: number, xs: number[]): void {
  g.select('rect.box').attr('width', w);
  const texts = [d.id, ...d.cells];
  const cells = xs.length - 1;
  g.selectAll<SVGLineElement, number>('line.sep')
    .data(Array.from({ length: cells - 1 }, (_, k) => k + 1))
    .join('line')
    .attr('class', 'sep')
    .attr('x1', (k) => xs[k]!)
    .attr('x2', (k) => xs[k]!)
    .attr('y1', 0)
    .attr('y2', ROW_H - 3);
  g.selectAll<SVGTextElement, string>('text')
    .data(texts)
    .join('text')
    .attr('class', (_, k) => (k === 0 ? 'k' : 'v'))
    .attr('x', (_, k) => xs[k]! + 5)
    .attr('y', ROW_H / 2 + 2)
    .text((t, k) => clip(t, Math.floor((xs[k + 1]! - xs[k]! - 8) / CHAR_W)));
}

/** Cuts text to n characters with an ellipsis. */
function clip(t: string, n: number): string {
  return t.length > n ? t.slice(0, Math.max(1, n - 1)) + '…' : t;
}
