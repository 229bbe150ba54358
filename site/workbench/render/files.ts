/**
 * files.ts: draws the files pane: each file in the store's directory as a strip of bytes,
 * wrapped to the pane's width, cut into records and coloured by field (panes.ts lays it out).
 * Bytes not yet synced are hatched; a directory entry not yet synced has a dashed name; the
 * bytes the current step wrote or read are outlined.
 */
import { select } from 'd3';
import { animate } from './motion.js';
import { rowsFor, segments, stripScale, formatBytes, type FileModel, type StripScale } from '../panes.js';

const ROW_H = 20;
const ROW_GAP = 3;
const LABEL_H = 22;
const FILE_GAP = 14;

/** One drawn rectangle of a field, a record outline or an overlay. */
interface Piece {
  id: string;
  x: number;
  y: number;
  width: number;
  cls: string;
  title?: string;
  label?: string;
  /** The record a record outline stands for (clicking it selects the record's bytes). */
  record?: number;
}

/** Draws the files into `svg`, `width` pixels wide. */
export function renderFiles(svg: SVGSVGElement, width: number, files: FileModel[], ms: number): void {
  const root = select(svg);
  const largest = Math.max(1, ...files.map((f) => f.size));
  const scale = stripScale(largest, width, 6, 0.2, 12);
  // Vertical layout: a label line, then the file's rows.
  let y = 4;
  const tops = files.map((f) => {
    const top = y;
    y += LABEL_H + rowsFor(f.size, scale) * (ROW_H + ROW_GAP) + FILE_GAP;
    return top;
  });
  const height = Math.max(70, y);
  root.attr('viewBox', `0 0 ${width} ${height}`).attr('height', height);

  const empty = root
    .selectAll<SVGTextElement, string>('text.empty')
    .data(files.length === 0 ? ['No files yet: nothing has been written to disk.'] : []);
  empty
    .join('text')
    .attr('class', 'empty')
    .attr('x', width / 2)
    .attr('y', 40)
    .attr('text-anchor', 'middle')
    .text((d) => d);

  const groups = root
    .selectAll<SVGGElement, FileModel>('g.file')
    .data(files, (f) => f.name)
    .join(
      (enter) => {
        const g = enter.append('g').attr('class', 'file').style('opacity', 0);
        g.append('text').attr('class', 'fname').attr('y', 15);
        g.append('text').attr('class', 'fmeta').attr('y', 15);
        g.append('g').attr('class', 'bytes');
        g.append('g').attr('class', 'records');
        g.append('g').attr('class', 'overlay');
        return g;
      },
      (update) => update,
      (exit) => animate(exit, ms).style('opacity', 0).remove(),
    );
  animate(groups, ms)
    .style('opacity', 1)
    .attr('transform', (_, i) => `translate(0,${tops[i]})`);

  groups.each(function (f) {
    const g = select(this).attr('data-file', f.name);
    g.select('text.fname').classed('pending', !f.entryDurable).text(f.name);
    const nameW = f.name.length * 7.6 + 10;
    g.select('text.fmeta')
      .attr('x', nameW)
      .text(`${f.role} · ${formatBytes(f.size)}${f.entryDurable ? '' : ' · name not yet durable'}`);
    drawFile(
      g.select<SVGGElement>('g.bytes').node()!,
      g.select<SVGGElement>('g.records').node()!,
      g.select<SVGGElement>('g.overlay').node()!,
      f,
      scale,
      width,
      ms,
    );
  });
}

/** The rows of one file: field pieces, record outlines, then the overlays. */
function drawFile(
  bytesG: SVGGElement,
  recordsG: SVGGElement,
  overlayG: SVGGElement,
  f: FileModel,
  s: StripScale,
  width: number,
  ms: number,
): void {
  const at = (row: number): number => LABEL_H + row * (ROW_H + ROW_GAP);
  // Fields, split where they wrap. Bytes no field covers (a torn tail) are drawn as 'raw'.
  const pieces: Piece[] = [];
  let covered = 0;
  const dead = new Set(f.records.filter((r) => !r.live).map((r) => r.record));
  for (const x of f.fields) {
    if (x.offset > covered) addRaw(pieces, covered, x.offset - covered, s, at);
    segments(x.offset, x.length, s).forEach((seg, k) =>
      pieces.push({
        id: `f${x.offset}.${k}`,
        x: seg.x,
        y: at(seg.row),
        width: seg.width,
        cls: `field k-${x.kind}${x.record !== undefined && dead.has(x.record) ? ' dead' : ''}`,
        title: `${x.name}${x.record !== undefined ? ` (record ${x.record})` : ''} @${x.offset}, ${x.length} B${x.text !== undefined ? ` = ${x.text}` : ''}`,
      }),
    );
    covered = Math.max(covered, x.offset + x.length);
  }
  if (f.size > covered) addRaw(pieces, covered, f.size - covered, s, at);
  // An empty file is a dashed outline, so it is visibly there.
  if (f.size === 0)
    pieces.push({ id: 'empty', x: 0, y: at(0), width: 40, cls: 'field k-empty', title: 'an empty file' });
  const fieldRects = select(bytesG)
    .selectAll<SVGRectElement, Piece>('rect')
    .data(pieces, (p) => p.id)
    .join(
      (enter) => enter.append('rect').attr('height', ROW_H).style('opacity', 0),
      (update) => update,
      (exit) => exit.remove(),
    )
    .attr('class', (p) => p.cls)
    .attr('x', (p) => p.x)
    .attr('y', (p) => p.y)
    .attr('width', (p) => Math.max(0.5, p.width));
  animate(fieldRects, ms).style('opacity', 1);

  // Record outlines, with the key written inside when there is room.
  const recs: Piece[] = [];
  for (const r of f.records) {
    const segs = segments(r.offset, r.length, s);
    // The key is written on the widest piece of a record that wraps.
    const widest = segs.reduce((best, seg, k) => (seg.width > segs[best]!.width ? k : best), 0);
    segs.forEach((seg, k) =>
      recs.push({
        id: `r${r.record}.${k}`,
        x: seg.x,
        y: at(seg.row),
        width: seg.width,
        cls: `record${r.live ? '' : ' dead'}`,
        record: r.record,
        title: `record ${r.record}${r.key !== undefined ? `, key ${r.key}` : ''}: ${r.length} B at ${r.offset}${r.live ? '' : ' (dead: nothing points at it)'}`,
        ...(k === widest && r.key !== undefined && seg.width > 26 ? { label: r.key.replace(/^"|"$/g, '') } : {}),
      }),
    );
  }
  const rg = select(recordsG)
    .selectAll<SVGGElement, Piece>('g.rec')
    .data(recs, (p) => p.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'rec');
      g.append('rect').attr('height', ROW_H);
      g.append('text').attr('y', ROW_H / 2 + 4);
      g.append('title');
      return g;
    });
  rg.select('title').text((p) => p.title ?? '');
  rg.attr('class', (p) => `rec ${p.cls}`).attr('data-record', (p) => String(p.record ?? ''));
  rg.select('rect')
    .attr('x', (p) => p.x)
    .attr('y', (p) => p.y)
    .attr('width', (p) => p.width);
  rg.select('text')
    .attr('x', (p) => p.x + 3)
    .attr('y', (p) => p.y + ROW_H / 2 + 4)
    .text((p) => (p.label ? clip(p.label, Math.floor((p.width - 6) / 6.5)) : ''));

  // Overlays: hatching over unsynced bytes, and the outline of what this step touched.
  const over: Piece[] = [];
  for (const [a, b] of f.unsynced)
    segments(a, b - a, s).forEach((seg, k) =>
      over.push({ id: `u${a}.${k}`, x: seg.x, y: at(seg.row), width: seg.width, cls: 'unsynced' }),
    );
  if (f.touched) {
    const t = f.touched;
    segments(t.offset, Math.max(t.length, 0), s).forEach((seg, k) =>
      over.push({ id: `t${k}`, x: seg.x - 1, y: at(seg.row) - 2, width: seg.width + 2, cls: `touched ${t.kind}` }),
    );
  }
  if (f.target) {
    segments(f.target.offset, f.target.length, s).forEach((seg, k) =>
      over.push({ id: `p${k}`, x: seg.x - 2, y: at(seg.row) - 3, width: seg.width + 4, cls: 'target' }),
    );
  }
  void width;
  const overlays = select(overlayG)
    .selectAll<SVGRectElement, Piece>('rect')
    .data(over, (p) => p.id)
    .join(
      (enter) => enter.append('rect').style('opacity', 0),
      (update) => update,
      (exit) => exit.remove(),
    )
    .attr('class', (p) => p.cls)
    .attr('x', (p) => p.x)
    .attr('y', (p) => p.y)
    .attr('width', (p) => Math.max(1, p.width))
    .attr('height', (p) => (p.cls.startsWith('touched') ? ROW_H + 4 : p.cls === 'target' ? ROW_H + 6 : ROW_H));
  animate(overlays, ms).style('opacity', 1);
}

/** Adds pieces for bytes that no field explains (e.g. a torn record at the tail). */
function addRaw(pieces: Piece[], offset: number, length: number, s: StripScale, at: (row: number) => number): void {
  segments(offset, length, s).forEach((seg, k) =>
    pieces.push({
      id: `x${offset}.${k}`,
      x: seg.x,
      y: at(seg.row),
      width: seg.width,
      cls: 'field k-raw',
      title: `${length} B no record explains (@${offset})`,
    }),
  );
}

/** Cuts text to n characters. */
function clip(t: string, n: number): string {
  if (n <= 0) return '';
  return t.length > n ? t.slice(0, Math.max(1, n - 1)) + '…' : t;
}
