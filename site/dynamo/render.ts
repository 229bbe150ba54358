/**
 * render.ts: draws one Picture of the cluster: the ring (d3, SVG) with every virtual node
 * and the key being handled, the nodes as cards with what each one's engine holds, and the
 * outcome of the last put or get. A picture is drawn from scratch by data joins keyed by
 * name, so the same frame always gives the same DOM (stepping back and forward is exact).
 */
import { arc, select, type Selection } from 'd3';
import type { Contact, Picture } from './cluster.js';
import { RING, type Ring } from './ring.js';

/** Node colours (Tableau 10, readable on light and dark). */
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7'];

/** The colour of node `name` among `nodes`. */
export function colour(nodes: readonly string[], name: string): string {
  return COLOURS[nodes.indexOf(name) % COLOURS.length]!;
}

/** Angle in radians (0 at the top, clockwise) of a ring position. */
function angle(p: number): number {
  return (p / RING) * 2 * Math.PI;
}

const SIZE = 300;
const R = 110;

/** Human words for what a node did. */
const ROLE_TEXT: Record<Contact['role'], string> = {
  coordinator: 'coordinates',
  write: 'stored',
  hint: 'holds hint',
  read: 'replied',
  repair: 'repaired',
  handoff: 'handed off',
  down: 'down: skipped',
  cut: 'unreachable: skipped',
  inflight: 'in flight',
};

/** Draws `p` into `root` (which holds .dy-ring svg, .dy-nodes, .dy-merkle, .dy-outcome, .dy-flight). */
export function renderPicture(root: HTMLElement, p: Picture, ring: Ring): void {
  drawRing(select(root).select<SVGSVGElement>('svg.dy-ring'), p, ring);
  drawNodes(select(root).select<HTMLDivElement>('.dy-nodes'), p);
  const out = root.querySelector<HTMLElement>('.dy-outcome')!;
  const o = p.outcome;
  out.className = `dy-outcome ${o ? (o.stale ? 'stale' : o.ok ? 'ok' : 'fail') : 'none'}`;
  out.textContent = o ? o.text : 'No put or get has finished at this step.';
  drawMerkle(root.querySelector<HTMLElement>('.dy-merkle')!, p);
  const flight = root.querySelector<HTMLElement>('.dy-flight')!;
  const partition = p.sides
    ? `Partition: ${p.sides.map((s) => s.join(' ')).join(' | ')} (messages cross only within a side). `
    : '';
  flight.textContent =
    partition +
    (p.inflight.length
      ? `In flight: ${p.inflight.map((m) => `${m.key}=${m.value} (t=${m.ts}) → ${m.to}${m.for ? ` (hint for ${m.for})` : ''}`).join(' · ')}`
      : 'No write in flight.');
}

/** The ring: circle, tokens, the key's position and its clockwise walk to its N replicas. */
function drawRing(svg: Selection<SVGSVGElement, unknown, null, undefined>, p: Picture, ring: Ring): void {
  const nodes = p.config.nodes;
  svg.attr('viewBox', `${-SIZE / 2} ${-SIZE / 2} ${SIZE} ${SIZE}`);
  const down = new Set(p.nodes.filter((n) => !n.up).map((n) => n.name));
  svg.selectAll('circle.track').data([0]).join('circle').attr('class', 'track').attr('r', R);
  // The walk: from the key clockwise to the token of its last home replica.
  const f = p.focus;
  let walkEnd: number | undefined;
  const chosen = new Set<number>();
  if (f) {
    const start = ring.firstTokenAtOrAfter(f.position);
    const seen = new Set<string>();
    for (let i = 0; i < ring.tokens.length && seen.size < f.preference.length; i++) {
      const t = (start + i) % ring.tokens.length;
      const node = ring.tokens[t]!.node;
      if (seen.has(node)) continue;
      seen.add(node);
      chosen.add(t);
      walkEnd = ring.tokens[t]!.position;
    }
  }
  const a0 = f ? angle(f.position) : 0;
  let a1 = walkEnd !== undefined ? angle(walkEnd) : a0;
  if (a1 < a0) a1 += 2 * Math.PI;
  const walkArc = arc<number>()
    .innerRadius(R - 5)
    .outerRadius(R + 5)
    .startAngle(a0)
    .endAngle(a1);
  svg
    .selectAll('path.walk')
    .data(f ? [0] : [])
    .join('path')
    .attr('class', 'walk')
    .attr('d', (d) => walkArc(d) ?? '');
  // Tokens: one dot per virtual node, labelled with its node.
  const tok = svg
    .selectAll<SVGGElement, (typeof ring.tokens)[number]>('g.token')
    .data(ring.tokens, (t) => `${t.node}#${t.index}`)
    .join((e) => {
      const g = e.append('g').attr('class', 'token');
      g.append('circle').attr('r', 6);
      g.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
      return g;
    });
  tok
    .attr('transform', (t) => `translate(${Math.sin(angle(t.position)) * R},${-Math.cos(angle(t.position)) * R})`)
    .classed('down', (t) => down.has(t.node))
    .classed('chosen', (_, i) => chosen.has(i));
  tok
    .select('circle')
    .attr('fill', (t) => colour(nodes, t.node))
    .attr('r', (_, i) => (chosen.has(i) ? 8 : 6));
  // Labels of tokens close together alternate between two distances, so they do not overlap.
  const out: number[] = [];
  ring.tokens.forEach((t, i) => {
    const prev = ring.tokens[i - 1];
    out.push(prev && angle(t.position) - angle(prev.position) < 0.16 && out[i - 1] === 17 ? 29 : 17);
  });
  tok
    .select('text')
    .attr('x', (t, i) => Math.sin(angle(t.position)) * out[i]!)
    .attr('y', (t, i) => -Math.cos(angle(t.position)) * out[i]!)
    .text((t) => t.node);
  // The key: a marker just inside the ring, with its name.
  const key = svg
    .selectAll<SVGGElement, NonNullable<Picture['focus']>>('g.key')
    .data(f ? [f] : [])
    .join((e) => {
      const g = e.append('g').attr('class', 'key');
      g.append('path').attr('d', 'M0,-6 L5,0 L0,6 L-5,0 Z');
      g.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
      return g;
    });
  key.attr(
    'transform',
    (d) => `translate(${Math.sin(angle(d.position)) * (R - 18)},${-Math.cos(angle(d.position)) * (R - 18)})`,
  );
  key
    .select('text')
    .attr('x', (d) => -Math.sin(angle(d.position)) * 22)
    .attr('y', (d) => Math.cos(angle(d.position)) * 14)
    .text((d) => d.key);
  // In the middle: the quorum settings, and the home replicas of the key.
  const mid = [
    `N=${p.config.n}  R=${p.config.r}  W=${p.config.w}`,
    f
      ? `${f.key} → ${f.preference.join(', ')}`
      : `${p.config.vnodes} vnode${p.config.vnodes === 1 ? '' : 's'} per node`,
  ];
  svg
    .selectAll('text.mid')
    .data(mid)
    .join('text')
    .attr('class', (_, i) => `mid m${i}`)
    .attr('text-anchor', 'middle')
    .attr('y', (_, i) => (i === 0 ? -6 : 14))
    .text((d) => d);
}

/** The node cards. */
function drawNodes(box: Selection<HTMLDivElement, unknown, null, undefined>, p: Picture): void {
  const contacts = new Map<string, Contact[]>();
  for (const c of p.focus?.contacts ?? []) contacts.set(c.node, [...(contacts.get(c.node) ?? []), c]);
  const home = new Set(p.focus?.preference ?? []);
  const card = box
    .selectAll<HTMLDivElement, Picture['nodes'][number]>('div.dy-node')
    .data(p.nodes, (n) => n.name)
    .join((e) => {
      const d = e.append('div').attr('class', 'dy-node');
      const h = d.append('div').attr('class', 'dy-head');
      h.append('span').attr('class', 'dy-sw');
      h.append('strong').attr('class', 'dy-name');
      h.append('span').attr('class', 'dy-state');
      d.append('div').attr('class', 'dy-roles');
      d.append('ul').attr('class', 'dy-data');
      d.append('p').attr('class', 'dy-stat');
      return d;
    });
  card
    .attr('data-node', (n) => n.name)
    .classed('down', (n) => !n.up)
    .classed('home', (n) => home.has(n.name))
    .classed('now', (n) => (contacts.get(n.name) ?? []).some((c) => c.now));
  card.select('.dy-sw').style('background', (n) => colour(p.config.nodes, n.name));
  card.select('.dy-name').text((n) => `node ${n.name}`);
  const side = (name: string): number => (p.sides ? p.sides.findIndex((s) => s.includes(name)) + 1 : 0);
  card.attr('data-side', (n) => (side(n.name) ? String(side(n.name)) : null));
  card
    .select('.dy-state')
    .text(
      (n) =>
        (n.up ? (home.has(n.name) ? 'home replica' : 'up') : 'DOWN') + (side(n.name) ? ` · side ${side(n.name)}` : ''),
    );
  card
    .select('.dy-roles')
    .selectAll('span')
    .data((n) => contacts.get(n.name) ?? [])
    .join('span')
    .attr('class', (c) => `dy-role r-${c.role}${c.now ? ' now' : ''}`)
    .text(
      (c) =>
        `${ROLE_TEXT[c.role]}${c.role === 'read' && c.ts === undefined ? ': no copy' : c.ts !== undefined ? `: ${c.value} t=${c.ts}` : ''}${c.for ? ` for ${c.for}` : ''}`,
    );
  card
    .select('.dy-data')
    .selectAll('li')
    .data((n) => [
      ...n.data.map((d) => ({ hint: '', ...d })),
      ...n.hints.map((h) => ({ hint: h.for, key: h.key, value: h.value, ts: h.ts })),
    ])
    .join('li')
    .attr('class', (d) => (d.hint ? 'hint' : '') + (p.focus && d.key === p.focus.key ? ' focus' : ''))
    .text((d) => `${d.hint ? `hint for ${d.hint}: ` : ''}${d.key} = ${d.value}  t=${d.ts}`);
  card
    .select('.dy-stat')
    .text(
      (n) =>
        `${p.config.engine}: ${n.data.length} key${n.data.length === 1 ? '' : 's'}${n.hints.length ? `, ${n.hints.length} hint${n.hints.length === 1 ? '' : 's'}` : ''} · ${n.bytesWritten} B written`,
    );
}

/**
 * The two hash trees of an anti-entropy step, one row per level (root first), each hash a cell
 * spanning the leaves under it: both nodes' hashes, outlined when compared, red when they differ,
 * dimmed when never compared. Hidden when the step is not part of an exchange.
 */
function drawMerkle(box: HTMLElement, p: Picture): void {
  const m = p.merkle;
  box.hidden = !m;
  if (!m) {
    box.replaceChildren();
    return;
  }
  const leaves = m.levels[m.levels.length - 1]!.a.length;
  const sel = select(box);
  sel
    .selectAll('p.dy-mk-title')
    .data([0])
    .join('p')
    .attr('class', 'dy-mk-title')
    .text(
      `Merkle trees of the keys ${m.a} and ${m.b} both hold as home replicas (first 4 hex digits of each hash: ${m.a} above, ${m.b} below)`,
    );
  const rows = sel
    .selectAll<HTMLDivElement, Picture['merkle']>('div.dy-mk-level')
    .data(m.levels)
    .join('div')
    .attr('class', 'dy-mk-level')
    .style('grid-template-columns', `repeat(${leaves}, minmax(0, 1fr))`);
  rows
    .selectAll('div.dy-mk-cell')
    .data((level, li) => level.a.map((h, i) => ({ li, i, a: h, b: level.b[i]!, span: leaves / level.a.length })))
    .join('div')
    .attr('class', (d) => {
      const compared = m.compared[d.li]!.includes(d.i);
      const differ = m.differing[d.li]!.includes(d.i);
      return `dy-mk-cell${compared ? ' cmp' : ' skip'}${differ ? ' diff' : ''}`;
    })
    .style('grid-column', (d) => `span ${d.span}`)
    .attr('title', (d) =>
      d.li === m.levels.length - 1
        ? `leaf ${d.i}: ${m.leafKeys[d.i]!.join(', ') || 'no keys'}`
        : `level ${d.li}, hash ${d.i}`,
    )
    .html(
      (d) =>
        `<span>${d.a.slice(0, 4)}</span><span>${d.b.slice(0, 4)}</span>${d.li === m.levels.length - 1 ? `<small>${m.leafKeys[d.i]!.length} key${m.leafKeys[d.i]!.length === 1 ? '' : 's'}</small>` : ''}`,
    );
}
