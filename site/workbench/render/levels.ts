/**
 * levels.ts: draws the LSM structure view (engines/lsm.ts's lsmStructure): the memtable as a
 * skiplist (each entry a column as tall as its node's levels, with the lanes a search follows),
 * the immutable memtable while it is flushed, the write-ahead logs (red: not yet synced) and the
 * manifest, and the levels of SSTables on one key axis, so a table's box spans its key range.
 * What the current command did to each table is written on it: skipped by key range, the bloom
 * filter's answer, a block read, found, compaction input, new. Tables and entries are keyed by
 * name and key, so they slide rather than jump.
 */
import { select } from 'd3';
import type { MemoryRow } from '../adapter.js';
import type { LsmStructure, TableView } from '../engines/lsm/structure.js';
import { animate } from './motion.js';
import { CHAR_W, LINE_H, setLines, textBlock, textWidth, wrap } from './text.js';

const BOX = 12;
const TABLE_H = 50;
const LABEL_W = 40;

/** Cuts text to n characters (only for a skiplist column's key; its tooltip has it whole). */
function clip(t: string, n: number): string {
  if (n <= 1) return '';
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

/** The three lines of a table's box. */
function tableLines(t: TableView): string[] {
  return [t.file, `${t.entries} key${t.entries === 1 ? '' : 's'} · ${t.bytes} B`, `${t.smallest} … ${t.largest}`];
}

/** A table placed on the key axis. */
interface PlacedTable extends TableView {
  x: number;
  y: number;
  w: number;
  mark: { mark: string; text: string } | undefined;
}

/** Draws `m` into `svg`, `paneWidth` pixels wide: every label fits (it wraps), nothing scrolls. */
export function renderLevels(svg: SVGSVGElement, paneWidth: number, m: LsmStructure, ms: number): void {
  const root = select(svg);
  for (const layer of ['head', 'mem', 'files', 'levels'])
    if (root.select(`g.${layer}`).empty()) root.append('g').attr('class', layer);
  const W = Math.max(200, paneWidth);
  const chars = (px: number): number => Math.floor(px / CHAR_W);

  const l0 = m.tables.filter((t) => t.level === 0).length;
  const headLines = [
    m.memtable
      ? `memtable ${m.memtable.bytes} of ${m.memtable.limit} B · ${m.tables.length} table${m.tables.length === 1 ? '' : 's'} (${l0} in L0) · bloom filters asked ${m.bloom.checks}×, said no ${m.bloom.no}×, false positives ${m.bloom.falsePositives} · block cache ${m.cache.hits} hits, ${m.cache.misses} misses`
      : m.state === 'crashed'
        ? 'The process died: the memtable is gone. Only the log, the tables and the manifest are left.'
        : 'No store is open.',
    m.caption ?? '',
    m.path.length ? `this command: ${m.path.join(' → ')}` : '',
  ].filter((l) => l !== '');
  const headG = root.select<SVGGElement>('g.head');
  let y = textBlock(
    headG,
    'counts',
    wrap(headLines[0]!, chars(W), ' · ').map((l, i, a) => (i < a.length - 1 ? l + ' ·' : l)),
    0,
    12,
    'sub',
  );
  y = textBlock(headG, 'big', m.caption ? wrap(m.caption, chars(W)) : [], 0, y + 2);
  y = textBlock(
    headG,
    'path',
    m.path.length
      ? wrap(`this command: ${m.path.join(' → ')}`, chars(W), ' → ').map((l, i, a) => (i < a.length - 1 ? l + ' →' : l))
      : [],
    0,
    y + 2,
    'sub',
  );
  y += 2;

  // The memtable skiplist.
  const memG = root.select<SVGGElement>('g.mem');
  // Fixed sub-layers, so the DOM is the same however a step was reached.
  for (const layer of ['mlabel', 'lanes', 'heads', 'hlabel', 'cols'])
    if (memG.select(`g.${layer}`).empty()) memG.append('g').attr('class', layer);
  const rows = m.memtable?.rows ?? [];
  const maxH = Math.max(1, ...rows.map((r) => Number(r.cells[2] ?? 1)));
  const headX = 34;
  const avail = W - headX - 20;
  const colW = Math.max(30, Math.min(64, rows.length ? Math.floor(avail / rows.length) : 64));
  const maxCols = Math.max(1, Math.floor(avail / colW));
  const shown = rows.slice(0, maxCols);
  const stackH = maxH * (BOX + 3);
  const mlabel = m.memtable
    ? wrap(
        `memtable: skiplist of ${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}, ${maxH} level${maxH === 1 ? '' : 's'}, log ${m.memtable.log}${rows.length > shown.length ? ` (first ${shown.length} shown)` : ''}`,
        chars(W),
      )
    : [];
  const memTop = y + 14 + Math.max(0, mlabel.length - 1) * LINE_H;
  const base = memTop + stackH; // bottom of level 0
  const rotate = colW < 60;
  const labelH = rotate ? 44 : 16;
  textBlock(memG.select<SVGGElement>('g.mlabel'), 'label', mlabel, 0, y + 4, 'sub');
  // The head node and the lanes.
  const lanes = m.memtable ? Array.from({ length: maxH }, (_, l) => l) : [];
  const lastAt = (l: number): number => {
    let k = -1;
    shown.forEach((r, i) => {
      if (Number(r.cells[2]) > l) k = i;
    });
    return k;
  };
  const colX = (i: number): number => headX + 8 + i * colW;
  memG
    .select('g.lanes')
    .selectAll<SVGLineElement, number>('line.lane')
    .data(lanes)
    .join('line')
    .attr('class', 'lane')
    .attr('x1', 14)
    .attr('x2', (l) => (lastAt(l) >= 0 ? colX(lastAt(l)) + colW / 2 : 24))
    .attr('y1', (l) => base - l * (BOX + 3) - BOX / 2)
    .attr('y2', (l) => base - l * (BOX + 3) - BOX / 2);
  memG
    .select('g.heads')
    .selectAll<SVGRectElement, number>('rect.headbox')
    .data(lanes)
    .join('rect')
    .attr('class', 'headbox node-mem')
    .attr('x', 4)
    .attr('width', 20)
    .attr('height', BOX)
    .attr('y', (l) => base - l * (BOX + 3) - BOX);
  memG
    .select('g.hlabel')
    .selectAll<SVGTextElement, string>('text.headlabel')
    .data(m.memtable ? ['head'] : [])
    .join('text')
    .attr('class', 'headlabel sub')
    .attr('x', 0)
    .attr('y', base + 14)
    .text((d) => d);
  const sk = memG
    .select('g.cols')
    .selectAll<SVGGElement, MemoryRow>('g.sk')
    .data(shown, (d) => d.id);
  animate(sk.exit(), ms).style('opacity', 0).remove();
  const ske = sk
    .enter()
    .append('g')
    .attr('transform', (d) => `translate(${colX(shown.indexOf(d))},0)`)
    .style('opacity', 0);
  ske.append('text').attr('class', 'key k');
  ske.append('title');
  const skAll = ske.merge(sk).order();
  skAll.attr('class', (d) => `sk${d.id === m.focus ? ' focus' : ''}${d.cells[1] === 'tombstone' ? ' tomb' : ''}`);
  skAll.each(function (d) {
    const h = Number(d.cells[2] ?? 1);
    select(this)
      .selectAll<SVGRectElement, number>('rect.node-mem')
      .data(Array.from({ length: h }, (_, l) => l))
      .join('rect')
      .attr('class', 'node-mem')
      .attr('x', 2)
      .attr('width', colW - 4)
      .attr('height', BOX)
      .attr('rx', 2)
      .attr('y', (l) => base - l * (BOX + 3) - BOX);
    select(this)
      .select('text.key')
      .attr(
        'transform',
        rotate ? `translate(${colW / 2},${base + 10}) rotate(35)` : `translate(${colW / 2},${base + 13})`,
      )
      .attr('text-anchor', rotate ? 'start' : 'middle')
      .style('font-size', '10px')
      .text(clip(d.id, rotate ? 9 : chars(colW)));
    select(this)
      .select('title')
      .text(`${d.id}: seq ${d.cells[0]}, ${d.cells[1]}, on ${d.cells[2]} level${d.cells[2] === '1' ? '' : 's'}`);
  });
  animate(skAll, ms)
    .style('opacity', 1)
    .attr('transform', (d) => `translate(${colX(shown.indexOf(d))},0)`);
  y = m.memtable ? base + labelH : y;

  // The immutable memtable, the logs and the manifest.
  const lines: { id: string; text: string; cls: string; bar?: { size: number; unsynced: number } }[] = [];
  if (m.immutable) {
    const f = m.immutable[0]?.id ?? '';
    const l = m.immutable[m.immutable.length - 1]?.id ?? '';
    lines.push({
      id: 'imm',
      text: `immutable memtable (frozen, being flushed): ${m.immutable.length} entries ${f}…${l}`,
      cls: 'big',
    });
  }
  const maxLog = Math.max(1, ...m.logs.map((l) => l.size), m.memtable?.limit ?? 0);
  for (const l of m.logs)
    lines.push({
      id: l.name,
      text: `${l.name}: ${l.size} B${l.unsynced ? `, ${l.unsynced} B not yet synced (a crash loses them)` : ', all synced'}`,
      cls: 'sub',
      bar: { size: l.size, unsynced: l.unsynced },
    });
  for (const f of m.manifest)
    lines.push({
      id: f.name,
      text: `${f.name}: ${f.size} B of version edits${f.current ? ' ← CURRENT names it' : ' (not named by CURRENT)'}`,
      cls: 'sub',
    });
  const filesG = root.select<SVGGElement>('g.files');
  // At phone width the bars go above their lines; wider, beside them.
  const barW = Math.min(260, Math.floor(W * 0.3));
  const beside = W >= 560;
  const textW = (d: (typeof lines)[number]): number => W - (d.bar && beside ? barW + 8 : 0);
  const heightOf = (d: (typeof lines)[number]): number =>
    wrap(d.text, chars(textW(d))).length * LINE_H + (d.bar && !beside ? 14 : 2);
  const tops: number[] = [];
  let fy = y + 4;
  for (const d of lines) {
    tops.push(fy);
    fy += heightOf(d);
  }
  const fl = filesG.selectAll<SVGGElement, (typeof lines)[number]>('g.fl').data(lines, (d) => d.id);
  fl.exit().remove();
  const fle = fl.enter().append('g').attr('class', 'fl');
  fle.append('rect').attr('class', 'walseg synced').attr('height', 10);
  fle.append('rect').attr('class', 'walseg unsynced').attr('height', 10);
  fle.append('text');
  const flAll = fle.merge(fl).order();
  flAll.attr('transform', (_, i) => `translate(0,${tops[i]})`);
  flAll.each(function (d) {
    const g = select(this);
    const sw = d.bar ? Math.max(2, (d.bar.size / maxLog) * barW) : 0;
    const uw = d.bar ? (d.bar.unsynced / maxLog) * barW : 0;
    g.select('rect.synced')
      .attr('width', Math.max(0, sw - uw))
      .style('display', d.bar ? 'inline' : 'none');
    g.select('rect.unsynced')
      .attr('x', Math.max(0, sw - uw))
      .attr('width', uw)
      .style('display', d.bar && uw > 0 ? 'inline' : 'none');
    const x = d.bar && beside ? barW + 8 : 0;
    const t = g
      .select<SVGTextElement>('text')
      .attr('class', d.cls)
      .attr('y', d.bar && !beside ? 23 : 9);
    setLines(t, () => wrap(d.text, chars(textW(d))), x);
  });
  y = fy + 6;

  // The levels on one key axis.
  const maxLevel = Math.max(1, ...m.tables.map((t) => t.level));
  const keys = [...new Set(m.tables.flatMap((t) => [t.smallest, t.largest]))].sort();
  // A table's box fits its three lines.
  const minW = Math.max(96, ...m.tables.map((t) => Math.max(...tableLines(t).map(textWidth)) + 12));
  const span = W - LABEL_W - minW;
  const kx = (k: string): number => LABEL_W + (keys.length > 1 ? (keys.indexOf(k) / (keys.length - 1)) * span : 0);
  const placed: PlacedTable[] = [];
  const bandTops: { level: number; y: number; h: number }[] = [];
  let ly = y + 6;
  for (let level = 0; level <= maxLevel; level++) {
    // Newest first in L0 (higher file numbers are newer); by key elsewhere.
    const ts = m.tables
      .filter((t) => t.level === level)
      .sort((a, b) => (level === 0 ? b.file.localeCompare(a.file) : a.smallest.localeCompare(b.smallest)));
    const rowsEnd: number[] = [];
    for (const t of ts) {
      const x = kx(t.smallest);
      const w = Math.max(minW, kx(t.largest) - x + minW);
      let r = rowsEnd.findIndex((end) => end <= x - 4);
      if (r < 0) r = rowsEnd.length;
      rowsEnd[r] = x + w;
      placed.push({ ...t, x, y: ly + 36 + r * (TABLE_H + 18), w, mark: m.marks.get(t.file) });
    }
    const h = 36 + Math.max(1, rowsEnd.length) * (TABLE_H + 18) - 12;
    bandTops.push({ level, y: ly, h });
    ly += h + 4;
  }
  const lv = root.select<SVGGElement>('g.levels');
  const bands = lv.selectAll<SVGGElement, (typeof bandTops)[number]>('g.band').data(bandTops, (d) => String(d.level));
  bands.exit().remove();
  const be = bands.enter().append('g').attr('class', 'band');
  be.append('rect').attr('class', 'band').attr('rx', 4);
  be.append('text').attr('class', 'title').attr('x', 6);
  be.append('text').attr('class', 'sub note').attr('x', LABEL_W);
  const bAll = be.merge(bands).order();
  bAll
    .select('rect.band')
    .attr('x', 0)
    .attr('y', (d) => d.y)
    .attr('width', W)
    .attr('height', (d) => d.h);
  bAll
    .select('text.title')
    .attr('y', (d) => d.y + 20)
    .text((d) => `L${d.level}`);
  bAll
    .select('text.note')
    .attr('y', (d) => d.y + 11)
    .text((d) => {
      const n = m.tables.filter((t) => t.level === d.level).length;
      const l0 = m.tiered
        ? W < 560
          ? 'sorted runs; may overlap'
          : 'sorted runs, flushed or merged (size-tiered); ranges may overlap, newest first'
        : W < 560
          ? 'flushed; may overlap'
          : 'flushed memtables; ranges may overlap, newest first';
      const what = d.level === 0 ? l0 : W < 560 ? 'sorted, no overlap' : 'sorted, non-overlapping key ranges';
      return `${n} table${n === 1 ? '' : 's'}: ${what}`;
    });
  const tg = lv.selectAll<SVGGElement, PlacedTable>('g.sst').data(placed, (d) => d.file);
  animate(tg.exit(), ms).style('opacity', 0).remove();
  const te = tg
    .enter()
    .append('g')
    .attr('transform', (d) => `translate(${d.x},${d.y})`)
    .style('opacity', 0);
  te.append('rect').attr('class', 'sst').attr('rx', 4).attr('height', TABLE_H);
  te.append('text').attr('class', 'l1 title').attr('x', 5).attr('y', 14);
  te.append('text')
    .attr('class', 'l2 sub')
    .attr('x', 5)
    .attr('y', 14 + LINE_H);
  te.append('text')
    .attr('class', 'l3 k')
    .attr('x', 5)
    .attr('y', 14 + 2 * LINE_H);
  te.append('text').attr('class', 'verdict').attr('x', 2).attr('y', -4);
  const tAll = te.merge(tg).order();
  tAll.attr('class', (d) => `sst${d.mark ? ` ${d.mark.mark}` : ''}`);
  tAll.select('rect.sst').attr('width', (d) => d.w);
  tAll.select('text.l1').text((d) => tableLines(d)[0]!);
  tAll.select('text.l2').text((d) => tableLines(d)[1]!);
  tAll.select('text.l3').text((d) => tableLines(d)[2]!);
  tAll
    .select('text.verdict')
    .attr('class', (d) => `verdict${d.mark ? ` verdict-${d.mark.mark}` : ''}`)
    .text((d) => (d.mark ? d.mark.text : ''));
  animate(tAll, ms)
    .style('opacity', 1)
    .attr('transform', (d) => `translate(${d.x},${d.y})`);
  const height = ly + 4;
  root.attr('viewBox', `0 0 ${W} ${height}`).attr('height', height);
}
