/**
 * structure-style.ts: the CSS of the structure pane (render/tree.ts, render/levels.ts), added
 * to the document once. It uses the workbench's colour variables (Workbench.astro), so it
 * follows the light and dark themes with them.
 */

const CSS = `
kv-workbench .wb-struct { margin-bottom: 0.5rem; overflow-x: auto; }
kv-workbench .wb-struct svg.wb-svg { overflow: visible; }
kv-workbench .wb-struct text { fill: var(--wb-text); }
kv-workbench .wb-struct text.muted, kv-workbench .wb-struct text.sub { fill: var(--wb-muted); }
kv-workbench .wb-struct text.title { font-weight: 700; }
kv-workbench .wb-struct text.big { font-size: 12px; font-weight: 700; }
kv-workbench .wb-struct rect.node { fill: var(--wb-panel); stroke: var(--wb-header); stroke-width: 1.2; }
kv-workbench .wb-struct g.page.cached rect.node { stroke: var(--wb-read); stroke-width: 2; }
kv-workbench .wb-struct g.page.dirty rect.node { stroke: var(--wb-write); stroke-width: 2.2; }
kv-workbench .wb-struct g.page.disk rect.node { stroke-dasharray: 4 3; fill: transparent; }
kv-workbench .wb-struct g.page.disk text { fill: var(--wb-muted); }
kv-workbench .wb-struct rect.fill { fill: var(--wb-value); fill-opacity: 0.35; }
kv-workbench .wb-struct path.link { fill: none; stroke: var(--wb-muted); stroke-opacity: 0.6; }
kv-workbench .wb-struct rect.halo { fill: none; stroke-width: 3; stroke: var(--wb-focus); }
kv-workbench .wb-struct .m-split rect.halo, kv-workbench .wb-struct .m-split-new rect.halo, kv-workbench .wb-struct .m-root rect.halo { stroke: var(--wb-flag); }
kv-workbench .wb-struct .m-merge-into rect.halo, kv-workbench .wb-struct .m-merge-from rect.halo { stroke: var(--wb-length); }
kv-workbench .wb-struct .m-write rect.halo, kv-workbench .wb-struct .m-evict rect.halo, kv-workbench .wb-struct .m-free rect.halo { stroke: var(--wb-write); }
kv-workbench .wb-struct .m-read rect.halo, kv-workbench .wb-struct .m-miss rect.halo, kv-workbench .wb-struct .m-hit rect.halo { stroke: var(--wb-read); }
kv-workbench .wb-struct text.mark { font-size: 10px; font-weight: 700; fill: var(--wb-focus); }
kv-workbench .wb-struct rect.cell { stroke: var(--wb-bg); stroke-width: 1; }
kv-workbench .wb-struct rect.cell.k-meta { fill: var(--wb-crc); }
kv-workbench .wb-struct rect.cell.k-branch { fill: var(--wb-length); }
kv-workbench .wb-struct rect.cell.k-leaf { fill: var(--wb-value); }
kv-workbench .wb-struct rect.cell.k-overflow { fill: var(--wb-time); }
kv-workbench .wb-struct rect.cell.k-freelist { fill: var(--wb-pointer); }
kv-workbench .wb-struct rect.cell.k-unwritten, kv-workbench .wb-struct rect.cell.k-free { fill: var(--wb-raw); fill-opacity: 0.35; }
kv-workbench .wb-struct rect.cell.k-pending { fill: var(--wb-raw); fill-opacity: 0.6; }
kv-workbench .wb-struct circle.incache { fill: var(--wb-read); stroke: var(--wb-bg); }
kv-workbench .wb-struct circle.incache.dirty { fill: var(--wb-write); }
kv-workbench .wb-struct line.unsynced { stroke: var(--wb-write); stroke-width: 2.5; }
kv-workbench .wb-struct rect.meta { fill: var(--wb-panel); stroke: var(--wb-line); stroke-width: 1.2; }
kv-workbench .wb-struct g.meta.current rect.meta { stroke: var(--wb-value); stroke-width: 2.5; }
kv-workbench .wb-struct g.meta.invalid rect.meta { stroke: var(--wb-write); stroke-dasharray: 4 3; }
kv-workbench .wb-struct g.meta.unsynced rect.meta { fill: color-mix(in srgb, var(--wb-write) 12%, var(--wb-panel)); }
kv-workbench .wb-struct rect.pill { fill: var(--wb-panel); stroke: var(--wb-line); }
kv-workbench .wb-struct g.pill.done rect.pill { fill: color-mix(in srgb, var(--wb-value) 30%, var(--wb-panel)); }
kv-workbench .wb-struct g.pill.now rect.pill { stroke: var(--sl-color-accent); stroke-width: 2.5; }
kv-workbench .wb-struct rect.sst { fill: var(--wb-panel); stroke: var(--wb-header); stroke-width: 1.2; }
kv-workbench .wb-struct g.sst.new rect.sst { stroke: var(--wb-value); stroke-width: 2.2; }
kv-workbench .wb-struct g.sst.input rect.sst { stroke: var(--wb-length); stroke-width: 2.2; stroke-dasharray: 5 3; }
kv-workbench .wb-struct g.sst.skip rect.sst { opacity: 0.45; }
kv-workbench .wb-struct g.sst.bloom-no rect.sst { stroke: var(--wb-write); stroke-width: 2.2; }
kv-workbench .wb-struct g.sst.bloom-maybe rect.sst { stroke: var(--wb-focus); stroke-width: 2.2; }
kv-workbench .wb-struct g.sst.read rect.sst { stroke: var(--wb-read); stroke-width: 2.6; }
kv-workbench .wb-struct g.sst.found rect.sst { stroke: var(--wb-value); stroke-width: 3; }
kv-workbench .wb-struct rect.band { fill: var(--wb-panel); fill-opacity: 0.5; stroke: var(--wb-line); }
kv-workbench .wb-struct rect.node-mem { fill: var(--wb-panel); stroke: var(--wb-key); stroke-width: 1.2; }
kv-workbench .wb-struct g.sk.focus rect.node-mem { stroke: var(--wb-focus); stroke-width: 2.5; }
kv-workbench .wb-struct g.sk.tomb text { text-decoration: line-through; }
kv-workbench .wb-struct line.lane { stroke: var(--wb-key); stroke-opacity: 0.5; }
kv-workbench .wb-struct rect.walseg { fill: var(--wb-value); fill-opacity: 0.45; stroke: var(--wb-bg); }
kv-workbench .wb-struct rect.walseg.unsynced { fill: var(--wb-write); fill-opacity: 0.5; }
kv-workbench .wb-struct text.verdict-no { fill: var(--wb-write); font-weight: 700; }
kv-workbench .wb-struct text.verdict-maybe { fill: var(--wb-focus); font-weight: 700; }
kv-workbench .wb-struct text.verdict-skip { fill: var(--wb-muted); font-weight: 700; }
kv-workbench .wb-struct text.verdict-read, kv-workbench .wb-struct text.verdict-found { fill: var(--wb-read); font-weight: 700; }
kv-workbench .wb-struct text.k { fill: var(--wb-key); }
`;

let added = false;

/** Adds the structure pane's CSS to the document (once; no-op without a document). */
export function ensureStructureStyle(): void {
  if (added || typeof document === 'undefined') return;
  added = true;
  const style = document.createElement('style');
  style.dataset.wb = 'structure';
  style.textContent = CSS;
  document.head.append(style);
}
