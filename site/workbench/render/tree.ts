/**
 * tree.ts: draws the B+tree structure view (engines/btree.ts's btreeStructure): the tree of
 * pages from the root (solid blue outline: in the page cache; red: dirty, changed since the
 * last commit; dashed: only on disk), the pages the current step is about (split, merge,
 * hit, miss, copy-on-write...), a map of every page of btree.db, the two meta pages as they are
 * on disk now, and the commit's four steps. Pages keep their identity across steps (keyed by
 * page id), so a split slides the others aside.
 */
import { hierarchy, select, type HierarchyNode } from 'd3';
import type { BtreeInspectPage } from '../../../engines/btree/inspect.js';
import type { BtreeStructure, PageMark } from '../engines/btree.js';
import { animate } from './motion.js';
import { ensureStructureStyle } from './structure-style.js';

const NODE_H = 56;
const LEVEL_GAP = 34;
const CELL = 22;

/** The label a mark puts above its page. */
const MARK_TEXT: Record<PageMark, string> = {
  hit: 'cache hit',
  miss: 'cache miss',
  read: 'read from disk',
  write: 'written',
  evict: 'evicted',
  alloc: 'allocated',
  'cow-from': 'copied from',
  'cow-to': 'copy (fresh)',
  free: 'freed',
  split: 'split',
  'split-new': 'new right half',
  'merge-into': 'merged into',
  'merge-from': 'merged away',
  root: 'new root',
};

/** A placed page. */
interface Placed {
  id: number;
  page: BtreeInspectPage | null;
  /** Child ids not expanded by inspect(). */
  hidden: number;
  x: number;
  y: number;
  parent: number | undefined;
}

/** Cuts text to n characters. */
function clip(t: string, n: number): string {
  if (n <= 1) return '';
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

/** The keys line of a page (a leaf's empty key, the smallest there is, shown as ""). */
function keysText(p: BtreeInspectPage): string {
  if (p.type === 'branch') return p.keys.slice(1).join(' | ') || '(one child)';
  if (p.keyCount === 0) return '(empty)';
  const first = p.keys[0] === '' ? '""' : p.keys[0]!;
  return p.keyCount === 1 ? first : `${first} … ${p.keys[p.keys.length - 1]}`;
}

/** Lays the tree out: leaves evenly from the left, each parent centred over its children. */
function layout(tree: BtreeInspectPage, nodeW: number, gap: number, top: number): { nodes: Placed[]; width: number } {
  const root: HierarchyNode<BtreeInspectPage> = hierarchy(tree, (p) => p.children);
  const nodes: Placed[] = [];
  let nextX = 0;
  root.eachAfter((n) => {
    const kids = n.children ?? [];
    const x = kids.length ? (nodes.find((p) => p.id === kids[0]!.data.id)!.x + nodes.find((p) => p.id === kids[kids.length - 1]!.data.id)!.x) / 2 : (nextX += nodeW + gap) - nodeW - gap;
    const hidden = n.data.truncated ? (n.data.childIds?.length ?? 0) : 0;
    nodes.push({ id: n.data.id, page: n.data, hidden, x, y: top + n.depth * (NODE_H + LEVEL_GAP), parent: n.parent?.data.id });
  });
  return { nodes, width: Math.max(nextX - gap, nodeW) };
}

/** Draws `m` into `svg`, at least `width` pixels wide (wider trees scroll sideways). */
export function renderTree(svg: SVGSVGElement, paneWidth: number, m: BtreeStructure, ms: number): void {
  ensureStructureStyle();
  // Measure the pane, not the SVG: a wide tree sets the SVG's own width.
  const width = svg.parentElement ? Math.max(200, svg.parentElement.clientWidth - 16) : paneWidth;
  const root = select(svg);
  for (const layer of ['head', 'links', 'pages', 'map', 'metas', 'pills']) if (root.select(`g.${layer}`).empty()) root.append('g').attr('class', layer);

  // The line of counters at the top.
  const head = `cache: ${m.cached.size} pages in memory · hits ${m.counts.hits} · misses ${m.counts.misses} · evictions ${m.counts.evictions} · pages read ${m.counts.reads} · written ${m.counts.writes}`;
  root
    .select('g.head')
    .selectAll<SVGTextElement, string>('text')
    .data([head, m.caption ?? ''])
    .join('text')
    .attr('class', (_, i) => (i === 0 ? 'sub' : 'big'))
    .attr('x', 0)
    .attr('y', (_, i) => 12 + i * 16)
    .text((d) => clip(d, Math.floor(width / 6.6)));

  // The tree.
  const top = 44;
  let y = top;
  let drawW = width;
  const pagesG = root.select<SVGGElement>('g.pages');
  const linksG = root.select<SVGGElement>('g.links');
  if (m.tree) {
    const leaves = Math.max(1, hierarchy(m.tree, (p) => p.children).leaves().length);
    const nodeW = Math.max(100, Math.min(170, Math.floor((width - (leaves - 1) * 10) / leaves)));
    const { nodes, width: tw } = layout(m.tree, nodeW, 10, top + 12);
    drawW = Math.max(width, tw);
    const off = Math.max(0, (drawW - tw) / 2);
    for (const n of nodes) n.x += off;
    const depth = Math.max(...nodes.map((n) => n.y));
    y = depth + NODE_H + 20;
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const chars = Math.floor((nodeW - 10) / 6.6);
    // Links from each parent's bottom to each child's top.
    const links = nodes.filter((n) => n.parent !== undefined).map((n) => ({ id: `${n.parent}-${n.id}`, from: byId.get(n.parent!)!, to: n }));
    const path = (l: { from: Placed; to: Placed }): string => {
      const x1 = l.from.x + nodeW / 2;
      const y1 = l.from.y + NODE_H;
      const x2 = l.to.x + nodeW / 2;
      const y2 = l.to.y;
      return `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;
    };
    const ls = linksG.selectAll<SVGPathElement, (typeof links)[number]>('path.link').data(links, (d) => d.id);
    ls.exit().remove();
    const lsAll = ls.enter().append('path').attr('class', 'link').attr('d', path).merge(ls).order();
    animate(lsAll, ms).attr('d', path);

    const sel = pagesG.selectAll<SVGGElement, Placed>('g.page').data(nodes, (d) => String(d.id));
    animate(sel.exit(), ms).style('opacity', 0).remove();
    const enter = sel
      .enter()
      .append('g')
      .attr('transform', (d) => `translate(${d.x},${d.y})`)
      .style('opacity', 0);
    enter.append('rect').attr('class', 'halo').attr('x', -3).attr('y', -3).attr('rx', 6);
    enter.append('rect').attr('class', 'node').attr('rx', 4);
    enter.append('rect').attr('class', 'fill').attr('x', 1).attr('height', 4);
    enter.append('text').attr('class', 'title').attr('x', 5).attr('y', 14);
    enter.append('text').attr('class', 'state sub').attr('x', 5).attr('y', 45);
    enter.append('text').attr('class', 'keys k').attr('x', 5).attr('y', 30);
    enter.append('text').attr('class', 'mark').attr('x', 0).attr('y', -7);
    const all = enter.merge(sel).order();
    all.attr('class', (d) => {
      const c = m.cached.get(d.id);
      const mark = m.marks.get(d.id);
      return `page ${c ? (c.dirty ? 'cached dirty' : 'cached') : 'disk'}${mark ? ` m-${mark}` : ''}`;
    });
    all.select('rect.halo').attr('width', nodeW + 6).attr('height', NODE_H + 6).style('display', (d) => (m.marks.has(d.id) ? null : 'none'));
    all.select('rect.node').attr('width', nodeW).attr('height', NODE_H);
    all
      .select('rect.fill')
      .attr('y', NODE_H - 5)
      .attr('width', (d) => Math.max(0, Math.min(1, d.page?.fill ?? 0)) * (nodeW - 2));
    all.select('text.title').text((d) => clip(`p${d.id} ${d.page?.type ?? ''} · ${d.page?.keyCount ?? 0} keys`, chars));
    all
      .select('text.state')
      .text((d) => {
        const c = m.cached.get(d.id);
        const ov = d.page?.overflow?.length ? ` · ${d.page.overflow.length} overflow` : '';
        return clip((c ? (c.dirty ? 'in memory, dirty' : 'in memory') : 'on disk only') + ov, chars);
      });
    all.select('text.keys').text((d) => (d.page ? clip(keysText(d.page), chars) : ''));
    all.select('text.mark').text((d) => {
      const mk = m.marks.get(d.id);
      const more = d.hidden ? ` (+${d.hidden} children not shown)` : '';
      return (mk ? MARK_TEXT[mk] : '') + more;
    });
    animate(all, ms)
      .style('opacity', 1)
      .attr('transform', (d) => `translate(${d.x},${d.y})`);
    all.selectAll('title').remove();
    all.append('title').text((d) => {
      const ov = d.page?.overflow ?? [];
      return `page ${d.id}: ${d.page?.type}, ${d.page?.keyCount} keys, ${Math.round((d.page?.fill ?? 0) * 100)}% full${ov.length ? `; overflow chains start at ${ov.map((o) => `page ${o.page} (${o.length} B)`).join(', ')}` : ''}`;
    });
    root.selectAll('text.notree').remove();
  } else {
    linksG.selectAll('*').remove();
    pagesG.selectAll('*').remove();
    root
      .selectAll<SVGTextElement, string>('text.notree')
      .data([m.state === 'crashed' ? 'The process died: no page is in memory. The tree is only what btree.db holds; reopen reads the meta pages below and takes the valid one with the higher txid.' : 'No store is open: the tree is only on disk.'])
      .join('text')
      .attr('class', 'notree muted')
      .attr('x', 0)
      .attr('y', top + 14)
      .text((d) => clip(d, Math.floor(width / 6.6)));
    y = top + 30;
  }

  // The page map of the file.
  const mapTop = y + 8;
  const perRow = Math.max(4, Math.floor((Math.min(drawW, width) - 4) / (CELL + 3)));
  const map = root.select<SVGGElement>('g.map');
  map
    .selectAll<SVGTextElement, string>('text.label')
    .data([`btree.db page by page (${m.pageSize ?? '?'} B each): M meta · B branch · L leaf · O overflow · F free list · grey: free (light) or pending (dark) · dot: in the cache (red: dirty) · red bar: not yet synced`])
    .join('text')
    .attr('class', 'label sub')
    .attr('x', 0)
    .attr('y', mapTop)
    .text((d) => clip(d, Math.floor(Math.min(drawW, width) / 6.6)));
  const cellAt = (i: number): [number, number] => [(i % perRow) * (CELL + 3), mapTop + 8 + Math.floor(i / perRow) * (CELL + 6)];
  const cells = map.selectAll<SVGGElement, BtreeStructure['pages'][number]>('g.pg').data(m.pages, (d) => String(d.id));
  cells.exit().remove();
  const ce = cells.enter().append('g').attr('class', 'pg');
  ce.append('rect').attr('class', 'cell').attr('width', CELL).attr('height', CELL).attr('rx', 2);
  ce.append('text').attr('x', CELL / 2).attr('y', 15).attr('text-anchor', 'middle').style('font-size', '10px');
  ce.append('circle').attr('class', 'incache').attr('cx', CELL - 3).attr('cy', 3).attr('r', 3.2);
  ce.append('line').attr('class', 'unsynced').attr('x1', 1).attr('x2', CELL - 1).attr('y1', CELL + 2).attr('y2', CELL + 2);
  const call = ce.merge(cells).order();
  call.attr('transform', (d) => `translate(${cellAt(d.id).join(',')})`);
  call.select('rect.cell').attr('class', (d) => `cell k-${d.free ?? d.kind}`);
  call.select('text').text((d) => (d.free ? '' : ({ meta: 'M', branch: 'B', leaf: 'L', overflow: 'O', freelist: 'F' } as Record<string, string>)[d.kind] ?? ''));
  call.select('circle.incache').attr('class', (d) => `incache${d.dirty ? ' dirty' : ''}`).style('display', (d) => (d.cached ? null : 'none'));
  call.select('line.unsynced').style('display', (d) => (d.unsynced ? null : 'none'));
  call.selectAll('title').remove();
  call.append('title').text((d) => `page ${d.id}: ${d.free ? `${d.free} (free list)` : d.kind}${d.cached ? (d.dirty ? ', in the cache, dirty' : ', in the cache') : ', on disk only'}${d.unsynced ? ', not yet synced' : ''}`);
  const mapRows = Math.max(1, Math.ceil(m.pages.length / perRow));
  y = mapTop + 8 + mapRows * (CELL + 6) + 6;

  // The meta pages and the commit steps.
  const metas = root.select<SVGGElement>('g.metas');
  const metaW = Math.min(260, Math.floor((Math.min(drawW, width) - 12) / 2));
  const metaTop = y + 4;
  const mg = metas.selectAll<SVGGElement, BtreeStructure['metas'][number]>('g.meta').data(m.metas, (d) => String(d.slot));
  mg.exit().remove();
  const me = mg.enter().append('g');
  me.append('rect').attr('class', 'meta').attr('rx', 4).attr('height', 50);
  me.append('text').attr('class', 'l1 title').attr('x', 6).attr('y', 16);
  me.append('text').attr('class', 'l2').attr('x', 6).attr('y', 31);
  me.append('text').attr('class', 'l3 sub').attr('x', 6).attr('y', 45);
  const mall = me.merge(mg).order();
  mall.attr('class', (d) => `meta${d.current ? ' current' : ''}${d.valid ? '' : ' invalid'}${d.unsynced ? ' unsynced' : ''}`);
  mall.attr('transform', (d) => `translate(${d.slot * (metaW + 12)},${metaTop})`);
  mall.select('rect.meta').attr('width', metaW);
  const mchars = Math.floor((metaW - 12) / 6.6);
  mall.select('text.l1').text((d) => clip(`meta page ${d.slot}${d.current ? ': open uses this one' : ''}`, mchars));
  mall.select('text.l2').text((d) => clip(d.valid ? `txid ${d.txid} · root p${d.root} · height ${d.height} · ${d.keyCount} keys` : `not valid: ${d.error ?? ''}`, mchars));
  mall.select('text.l3').text((d) => clip(d.unsynced ? 'written, NOT yet synced: a crash can lose or tear it' : d.valid ? `${d.pageCount} pages · durable` : '', mchars));
  y = metaTop + (m.metas.length ? 58 : 0);
  const steps = ['pages', 'freelist', 'sync', 'meta', 'done'];
  const labels = ['1 write pages', '2 free list', '3 fsync', '4 meta + fsync', 'committed'];
  const at = m.commit ? steps.indexOf(m.commit.step) : -1;
  const pillW = Math.min(112, Math.floor((Math.min(drawW, width) - 4 * 6) / 5));
  const pills = root.select<SVGGElement>('g.pills').selectAll<SVGGElement, number>('g.pill').data(m.commit ? [0, 1, 2, 3, 4] : []);
  pills.exit().remove();
  const pe = pills.enter().append('g');
  pe.append('rect').attr('class', 'pill').attr('height', 22).attr('rx', 11);
  pe.append('text').attr('y', 15).attr('text-anchor', 'middle').style('font-size', '10px');
  const pall = pe.merge(pills).order();
  pall.attr('class', (i) => `pill${i < at ? ' done' : ''}${i === at ? ' now done' : ''}`).attr('transform', (i) => `translate(${i * (pillW + 6)},${y})`);
  pall.select('rect').attr('width', pillW);
  pall
    .select('text')
    .attr('x', pillW / 2)
    .text((i) => clip(labels[i]! + (i === 0 && m.commit ? ` (txid ${m.commit.txid})` : ''), Math.floor(pillW / 6)));
  if (m.commit) y += 30;
  const height = y + 6;
  root.attr('viewBox', `0 0 ${drawW} ${height}`).attr('height', height);
  if (drawW > width) root.style('width', `${drawW}px`);
  else root.style('width', null);
}
