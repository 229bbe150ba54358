/**
 * tree.ts: draws the B+tree structure view (engines/btree/structure.ts): the tree of pages
 * from the root (solid blue outline: in the page cache; red: dirty, changed since the last
 * commit; dashed: only on disk), the pages the current step is about (split, merge, hit,
 * miss, copy-on-write...), a map of every page of btree.db, the two meta pages and the
 * shutdown flag as they are on disk now, and the commit's steps. Pages keep their identity
 * across steps (keyed by page id), so a split slides the others aside.
 *
 * Everything fits: boxes are sized to their labels (monospace, text.ts), long lines wrap, and
 * a tree wider than the pane keeps its size and scrolls sideways under a hint (element.ts).
 */
import { hierarchy, select, type HierarchyNode } from 'd3';
import type { BtreeInspectPage } from '../../../engines/btree/inspect.js';
import type { BtreeStructure, PageMark } from '../engines/btree/structure.js';
import { animate } from './motion.js';
import { CHAR_W, LINE_H, setLines, textBlock, textWidth, wrap } from './text.js';
import type { StructureSvgs } from './structures.js';

const LEVEL_GAP = 34;
const GAP = 10;
const CELL = 22;
const PAD = 6;
/** The most lines of separator keys a branch box shows (its tooltip lists them all). */
const MAX_KEY_LINES = 6;

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
  borrow: 'entries moved',
  root: 'new root',
};

/** A placed page with its label lines. */
interface Placed {
  id: number;
  page: BtreeInspectPage;
  x: number;
  /** Box width. */
  w: number;
  y: number;
  h: number;
  parent: number | undefined;
  lines: { title: string; keys: string[]; state: string };
}

/** The title line of a page. */
function titleOf(p: BtreeInspectPage): string {
  return `p${p.id} ${p.type} · ${p.keyCount} key${p.keyCount === 1 ? '' : 's'}`;
}

/** The keys a page shows: a leaf's first and last (the empty key, the smallest there is, as ""), a branch's separators. */
function keysOf(p: BtreeInspectPage): string {
  if (p.type === 'branch') return p.keys.slice(1).join(' | ') || '(one child)';
  if (p.keyCount === 0) return '(empty)';
  const first = p.keys[0] === '' ? '""' : p.keys[0]!;
  return p.keyCount === 1 ? first : `${first} … ${p.keys[p.keys.length - 1]}`;
}

/** The state line of a page. */
function stateOf(p: BtreeInspectPage, m: BtreeStructure): string {
  const c = m.cached.get(p.id);
  const ov = p.overflow?.length ? ` · ${p.overflow.length} overflow` : '';
  const hidden = p.truncated ? ` · +${p.childIds?.length ?? 0} children not drawn` : '';
  return (c ? (c.dirty ? 'in memory, dirty' : 'in memory') : 'on disk only') + ov + hidden;
}

/** The box width that fits the title and state line of every page of `pages` (keys wrap inside it). */
function nodeWidth(pages: BtreeInspectPage[], m: BtreeStructure): number {
  let chars = 16;
  for (const p of pages)
    chars = Math.max(chars, titleOf(p).length, stateOf(p, m).length, p.type === 'leaf' ? keysOf(p).length : 0);
  return Math.max(112, Math.min(240, Math.ceil(chars * CHAR_W) + 2 * PAD));
}

/** Lays the tree out: leaves evenly from the left, each parent centred over its children, each level as tall as its tallest box. */
function layout(
  tree: BtreeInspectPage,
  m: BtreeStructure,
  top: number,
): { nodes: Placed[]; width: number; height: number } {
  const root: HierarchyNode<BtreeInspectPage> = hierarchy(tree, (p) => p.children);
  const all = root.descendants().map((n) => n.data);
  // Leaves set the tree's width, so they get their own (usually narrower) box width.
  const leafW = nodeWidth(
    all.filter((p) => p.type === 'leaf'),
    m,
  );
  const branchW = nodeWidth(
    all.filter((p) => p.type === 'branch'),
    m,
  );
  const widthOf = (p: BtreeInspectPage): number => (p.type === 'leaf' ? leafW : branchW);
  const linesOf = (p: BtreeInspectPage): Placed['lines'] => {
    const chars = Math.floor((widthOf(p) - 2 * PAD) / CHAR_W);
    let keys = wrap(keysOf(p), chars);
    if (keys.length > MAX_KEY_LINES)
      keys = [...keys.slice(0, MAX_KEY_LINES - 1), `… (${p.keyCount} separators in all)`];
    return { title: titleOf(p), keys, state: stateOf(p, m) };
  };
  // Each level's box height: title, its key lines, state, and the fill bar.
  const depthH = new Map<number, number>();
  for (const n of root.descendants()) {
    const h = (2 + linesOf(n.data).keys.length) * LINE_H + 14;
    depthH.set(n.depth, Math.max(depthH.get(n.depth) ?? 0, h));
  }
  const levelY = [top];
  for (let d = 1; d <= Math.max(...depthH.keys()); d++) levelY[d] = levelY[d - 1]! + depthH.get(d - 1)! + LEVEL_GAP;
  const nodes: Placed[] = [];
  const byId = new Map<number, Placed>();
  let nextX = 0;
  root.eachAfter((n) => {
    const kids = n.children ?? [];
    const w = widthOf(n.data);
    // A leaf takes the next slot; a parent is centred over its first and last child.
    let x: number;
    if (kids.length) {
      const a = byId.get(kids[0]!.data.id)!;
      const b = byId.get(kids[kids.length - 1]!.data.id)!;
      x = (a.x + a.w / 2 + b.x + b.w / 2) / 2 - w / 2;
    } else {
      x = nextX;
      nextX += w + GAP;
    }
    const placed: Placed = {
      id: n.data.id,
      page: n.data,
      x,
      w,
      y: levelY[n.depth]!,
      h: depthH.get(n.depth)!,
      parent: n.parent?.data.id,
      lines: linesOf(n.data),
    };
    nodes.push(placed);
    byId.set(placed.id, placed);
  });
  // A wide branch over few leaves can stick out on the left: shift everything right.
  const left = Math.min(0, ...nodes.map((n) => n.x));
  for (const n of nodes) n.x -= left;
  const bottom = Math.max(...nodes.map((n) => n.y + n.h));
  return { nodes, width: Math.max(...nodes.map((n) => n.x + n.w)), height: bottom - top };
}

/**
 * Draws `m`: the counters and the step's caption into `svgs.head`; the tree into `svgs.main`,
 * at least `paneWidth` pixels wide (a wider tree scrolls sideways); the page map, the meta
 * pages, the flag and the commit steps into `svgs.foot`. Head and foot always fit the pane, so
 * they stay in view whatever the tree's scroll.
 */
export function renderTree(svgs: StructureSvgs, paneWidth: number, m: BtreeStructure, ms: number): void {
  const width = Math.max(200, paneWidth);
  const chars = Math.floor(width / CHAR_W);
  const above = select(svgs.head);
  if (above.select('g.head').empty()) above.append('g').attr('class', 'head');
  const root = select(svgs.main);
  for (const layer of ['links', 'pages']) if (root.select(`g.${layer}`).empty()) root.append('g').attr('class', layer);
  const below = select(svgs.foot);
  for (const layer of ['map', 'metas', 'pills'])
    if (below.select(`g.${layer}`).empty()) below.append('g').attr('class', layer);

  // The counters, then what this step does, each wrapped to the pane.
  const c = m.counts;
  const head = c
    ? `cache: ${m.cached.size} of ${m.cacheCapacity ?? '?'} pages in memory · hits ${c.hits} · misses ${c.misses} · evictions ${c.evictions} · pages read ${c.reads} · written ${c.writes} (since open)`
    : m.state === 'open'
      ? 'opening: reading the meta pages'
      : 'no store open: nothing in memory';
  const headG = above.select<SVGGElement>('g.head');
  let y = textBlock(
    headG,
    'counts',
    wrap(head, chars, ' · ').map((l, i, a) => (i < a.length - 1 ? l + ' ·' : l)),
    0,
    12,
    'sub',
  );
  y = textBlock(headG, 'big', m.caption ? wrap(m.caption, chars) : [], 0, y + 4);
  above.attr('viewBox', `0 0 ${width} ${y}`).attr('height', y);

  // The tree (marks are drawn above the top boxes).
  const top = 22;
  y = top;
  let drawW = width;
  const pagesG = root.select<SVGGElement>('g.pages');
  const linksG = root.select<SVGGElement>('g.links');
  if (m.tree) {
    const { nodes, width: tw, height } = layout(m.tree, m, top);
    drawW = Math.max(width, tw);
    const off = Math.max(0, (drawW - tw) / 2);
    for (const n of nodes) n.x += off;
    y = top + height + 18;
    const byId = new Map(nodes.map((n) => [n.id, n]));
    // Links from each parent's bottom to each child's top.
    const links = nodes
      .filter((n) => n.parent !== undefined)
      .map((n) => ({ id: `${n.parent}-${n.id}`, from: byId.get(n.parent!)!, to: n }));
    const path = (l: { from: Placed; to: Placed }): string => {
      const x1 = l.from.x + l.from.w / 2;
      const y1 = l.from.y + l.from.h;
      const x2 = l.to.x + l.to.w / 2;
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
    enter.append('text').attr('class', 'title').attr('x', PAD).attr('y', 15);
    enter
      .append('text')
      .attr('class', 'keys k')
      .attr('x', PAD)
      .attr('y', 15 + LINE_H);
    enter.append('text').attr('class', 'state sub');
    enter.append('text').attr('class', 'mark').attr('x', 0).attr('y', -7);
    const all = enter.merge(sel).order();
    all.attr('class', (d) => {
      const cc = m.cached.get(d.id);
      const mark = m.marks.get(d.id);
      return `page ${cc ? (cc.dirty ? 'cached dirty' : 'cached') : 'disk'}${mark ? ` m-${mark}` : ''}`;
    });
    all
      .select('rect.halo')
      .attr('width', (d) => d.w + 6)
      .attr('height', (d) => d.h + 6)
      .style('display', (d) => (m.marks.has(d.id) ? null : 'none'));
    all
      .select('rect.node')
      .attr('width', (d) => d.w)
      .attr('height', (d) => d.h);
    all
      .select('rect.fill')
      .attr('y', (d) => d.h - 5)
      .attr('width', (d) => Math.max(0, Math.min(1, d.page.fill)) * (d.w - 2));
    all.select('text.title').text((d) => d.lines.title);
    setLines(all.select<SVGTextElement>('text.keys'), (d: Placed) => d.lines.keys, PAD);
    all
      .select('text.state')
      .attr('x', PAD)
      .attr('y', (d) => 15 + (1 + d.lines.keys.length) * LINE_H)
      .text((d) => d.lines.state);
    all.select('text.mark').text((d) => {
      const mk = m.marks.get(d.id);
      return mk ? MARK_TEXT[mk] : '';
    });
    animate(all, ms)
      .style('opacity', 1)
      .attr('transform', (d) => `translate(${d.x},${d.y})`);
    all.selectAll('title').remove();
    all.append('title').text((d) => {
      const ov = d.page.overflow ?? [];
      const keys =
        d.page.type === 'branch' ? `separators ${d.page.keys.slice(1).join(', ')}` : `keys ${d.page.keys.join(', ')}`;
      return `page ${d.id}: ${d.page.type}, ${d.page.keyCount} keys, ${Math.round(d.page.fill * 100)}% full; ${keys}${ov.length ? `; overflow chains start at ${ov.map((o) => `page ${o.page} (${o.length} B)`).join(', ')}` : ''}`;
    });
    root.selectAll('text.notree').remove();
  } else {
    linksG.selectAll('*').remove();
    pagesG.selectAll('*').remove();
    const msg =
      m.state === 'crashed'
        ? 'The process died: no page is in memory. The tree is only what btree.db holds; reopen reads the meta pages below and takes the valid one with the higher txid.'
        : m.state === 'open'
          ? 'Opening: no page is in memory yet; open reads the two meta pages first.'
          : 'No store is open: the tree is only on disk.';
    const lines = wrap(msg, chars);
    root
      .selectAll<SVGTextElement, string>('text.notree')
      .data(lines)
      .join('text')
      .attr('class', 'notree muted')
      .attr('x', 0)
      .attr('y', (_, i) => top + 2 + i * LINE_H)
      .text((d) => d);
    y = top + lines.length * LINE_H + 8;
  }

  const treeHeight = y;
  root
    .attr('viewBox', `0 0 ${drawW} ${treeHeight}`)
    .attr('height', treeHeight)
    .attr('width', drawW)
    .attr('data-width', drawW);
  root.style('width', `${drawW}px`);

  // The page map of the file, with its legend wrapped to the pane.
  y = 0;
  const map = below.select<SVGGElement>('g.map');
  const legend = `btree.db page by page (${m.pageSize ?? '?'} B each): M meta · B branch · L leaf · O overflow · F free list · grey: free (light) or pending (dark) · dot: in the cache (red: dirty) · red bar: not yet synced`;
  const legendLines = wrap(legend, chars, ' · ').map((l, i, a) => (i < a.length - 1 ? l + ' ·' : l));
  const mapTop = textBlock(map, 'label', legendLines, 0, y + 12, 'sub') - 4;
  const perRow = Math.max(4, Math.floor((width - 4) / (CELL + 3)));
  const cellAt = (i: number): [number, number] => [
    (i % perRow) * (CELL + 3),
    mapTop + Math.floor(i / perRow) * (CELL + 6),
  ];
  const cells = map.selectAll<SVGGElement, BtreeStructure['pages'][number]>('g.pg').data(m.pages, (d) => String(d.id));
  cells.exit().remove();
  const ce = cells.enter().append('g').attr('class', 'pg');
  ce.append('rect').attr('class', 'cell').attr('width', CELL).attr('height', CELL).attr('rx', 2);
  ce.append('text')
    .attr('x', CELL / 2)
    .attr('y', 15)
    .attr('text-anchor', 'middle')
    .style('font-size', '10px');
  ce.append('circle')
    .attr('class', 'incache')
    .attr('cx', CELL - 3)
    .attr('cy', 3)
    .attr('r', 3.2);
  ce.append('line')
    .attr('class', 'unsynced')
    .attr('x1', 1)
    .attr('x2', CELL - 1)
    .attr('y1', CELL + 2)
    .attr('y2', CELL + 2);
  const call = ce.merge(cells).order();
  call.attr('transform', (d) => `translate(${cellAt(d.id).join(',')})`);
  call.select('rect.cell').attr('class', (d) => `cell k-${d.free ?? d.kind}`);
  call
    .select('text')
    .text((d) =>
      d.free
        ? ''
        : (({ meta: 'M', branch: 'B', leaf: 'L', overflow: 'O', freelist: 'F' } as Record<string, string>)[d.kind] ??
          ''),
    );
  call
    .select('circle.incache')
    .attr('class', (d) => `incache${d.dirty ? ' dirty' : ''}`)
    .style('display', (d) => (d.cached ? null : 'none'));
  call.select('line.unsynced').style('display', (d) => (d.unsynced ? null : 'none'));
  call.selectAll('title').remove();
  call
    .append('title')
    .text(
      (d) =>
        `page ${d.id}: ${d.free ? `${d.free} (free list)` : d.kind}${d.cached ? (d.dirty ? ', in the cache, dirty' : ', in the cache') : ', on disk only'}${d.unsynced ? ', not yet synced' : ''}`,
    );
  y = mapTop + Math.max(1, Math.ceil(m.pages.length / perRow)) * (CELL + 6) + 6;

  // The meta pages, side by side when two fit at a readable width, else one above the other.
  const metas = below.select<SVGGElement>('g.metas');
  const sideBySide = width >= 2 * 250 + 12;
  const metaW = sideBySide ? Math.min(300, Math.floor((width - 12) / 2)) : width;
  const mchars = Math.floor((metaW - 12) / CHAR_W);
  const metaLines = (d: BtreeStructure['metas'][number]): string[] =>
    [
      ...wrap(`meta page ${d.slot}${d.current ? ': open uses this one' : ''}`, mchars),
      ...wrap(
        d.valid
          ? `txid ${d.txid} · root p${d.root} · height ${d.height} · ${d.keyCount} keys`
          : `not valid: ${d.error ?? ''}`,
        mchars,
        ' ',
      ),
      ...wrap(
        d.unsynced
          ? 'written, NOT yet synced: a crash can lose or tear it'
          : d.valid
            ? `${d.pageCount} pages · durable`
            : '',
        mchars,
      ),
    ].filter((l) => l !== '');
  const heights = m.metas.map((d) => metaLines(d).length * LINE_H + 12);
  const metaTop = y + 4;
  const metaY = (i: number): number =>
    sideBySide ? metaTop : metaTop + heights.slice(0, i).reduce((a, b) => a + b + 8, 0);
  const mg = metas
    .selectAll<SVGGElement, BtreeStructure['metas'][number]>('g.meta')
    .data(m.metas, (d) => String(d.slot));
  mg.exit().remove();
  const me = mg.enter().append('g');
  me.append('rect').attr('class', 'meta').attr('rx', 4);
  me.append('text').attr('class', 'ml').attr('x', 6).attr('y', 16);
  const mall = me.merge(mg).order();
  mall.attr(
    'class',
    (d) => `meta${d.current ? ' current' : ''}${d.valid ? '' : ' invalid'}${d.unsynced ? ' unsynced' : ''}`,
  );
  mall.attr('transform', (d, i) => `translate(${sideBySide ? d.slot * (metaW + 12) : 0},${metaY(i)})`);
  mall
    .select('rect.meta')
    .attr('width', metaW)
    .attr('height', (_, i) => heights[i]!);
  setLines(mall.select<SVGTextElement>('text.ml'), metaLines, 6);
  y = m.metas.length
    ? (sideBySide ? metaTop + Math.max(...heights) : metaY(m.metas.length - 1) + heights[heights.length - 1]!) + 8
    : y;

  // The shutdown flag: byte 88 of meta page 0, outside its checksum.
  const flagText = m.flag
    ? `shutdown flag (byte 88 of page 0): ${m.flag.value === 'clean' ? "'C': the last session closed cleanly" : m.flag.value === 'dirty' ? "'D': a session wrote and has not closed cleanly; after a crash, open recovers" : 'neither C nor D: damage'}${m.flag.unsynced ? ' · written, not yet synced (a lost C only makes the next open recover needlessly)' : ''}`
    : '';
  y = textBlock(below.select<SVGGElement>('g.metas'), 'flag', flagText ? wrap(flagText, chars) : [], 0, y + 12, 'sub');

  // The commit's steps, as pills that wrap onto a second row when the pane is narrow.
  const steps = ['pages', 'freelist', 'sync', 'meta', 'done'];
  const labels = ['1 write pages', '2 free list', '3 fsync', '4 meta + fsync', 'committed'];
  const at = m.commit ? steps.indexOf(m.commit.step) : -1;
  const pillW = Math.max(
    textWidth('4 meta + fsync') + 16,
    textWidth(`1 write pages (txid ${m.commit?.txid ?? 0})`) + 16,
  );
  const perLine = Math.max(1, Math.floor((width + 6) / (pillW + 6)));
  const pills = below
    .select<SVGGElement>('g.pills')
    .selectAll<SVGGElement, number>('g.pill')
    .data(m.commit ? [0, 1, 2, 3, 4] : []);
  pills.exit().remove();
  const pe = pills.enter().append('g');
  pe.append('rect').attr('class', 'pill').attr('height', 22).attr('rx', 11);
  pe.append('text').attr('y', 15).attr('text-anchor', 'middle').style('font-size', '10px');
  const pall = pe.merge(pills).order();
  const pillTop = y + 4;
  pall
    .attr('class', (i) => `pill${i < at ? ' done' : ''}${i === at ? ' now done' : ''}`)
    .attr('transform', (i) => `translate(${(i % perLine) * (pillW + 6)},${pillTop + Math.floor(i / perLine) * 28})`);
  pall.select('rect').attr('width', pillW);
  pall
    .select('text')
    .attr('x', pillW / 2)
    .text((i) => labels[i]! + (i === 0 && m.commit ? ` (txid ${m.commit.txid})` : ''));
  if (m.commit) y = pillTop + Math.ceil(5 / perLine) * 28;
  const height = y + 6;
  below.attr('viewBox', `0 0 ${width} ${height}`).attr('height', height);
}
