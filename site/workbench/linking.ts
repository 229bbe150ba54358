/**
 * linking.ts: the DOM half of linked diagrams and bytes (linked.ts is the logic): which
 * diagram target a clicked SVG element stands for (from the data d3 bound to it), and which
 * diagram elements stand for the structure a byte belongs to.
 */
import { select } from 'd3';
import type { EngineAdapter, MemoryRow } from './adapter.js';
import type { DiskState } from './disk.js';
import type { ByteOwner, DiagramTarget } from './linked.js';

/** The file the B+tree keeps its pages in (the one whose role is "pages"). */
function pagesFile(ad: EngineAdapter, disk: DiskState): string | undefined {
  return disk.files.find((f) => ad.fileRole(f.name) === 'pages')?.name;
}

/** The target a clicked diagram element stands for, or undefined. */
export function linkTargetOf(el: Element, ad: EngineAdapter, disk: DiskState): DiagramTarget | undefined {
  const cls = el.classList;
  if (cls.contains('rec')) {
    const file = el.closest<SVGGElement>('g.file')?.dataset.file;
    const record = Number((el as SVGGElement).dataset.record);
    return file && Number.isInteger(record) ? { kind: 'record', file, record } : undefined;
  }
  const d = select(el).datum() as Record<string, unknown> | undefined;
  if (!d) return undefined;
  if (cls.contains('entry') || cls.contains('sk')) {
    const row = d as unknown as MemoryRow;
    return { kind: 'entry', key: row.id, target: row.target };
  }
  if (cls.contains('page') && typeof d.id === 'number') {
    const file = pagesFile(ad, disk);
    return file ? { kind: 'page', file, page: d.id } : undefined;
  }
  if (cls.contains('sst') && typeof d.file === 'string') return { kind: 'table', file: d.file };
  return undefined;
}

/** The diagram elements inside `host` that stand for the structure `owner` names. */
export function linkedSelectors(
  host: Element,
  ad: EngineAdapter,
  owner: ByteOwner,
  rows: readonly MemoryRow[],
): Element[] {
  const out: Element[] = [];
  const { file, record, recordRange: r, key } = owner;
  // The record outline in the files pane.
  if (record !== undefined) {
    for (const g of host.querySelectorAll<SVGGElement>('.wb-files g.file')) {
      if (g.dataset.file !== file) continue;
      g.querySelectorAll<SVGGElement>(`g.rec[data-record="${record}"]`).forEach((x) => out.push(x));
    }
  }
  // In-memory entries: one pointing into the record (a keydir entry), one with its key, its page.
  const pageKey = ad.engine === 'btree' && record !== undefined ? `page ${record}` : undefined;
  const hit = (row: MemoryRow): boolean =>
    (r !== undefined &&
      row.target?.file === file &&
      row.target.offset >= r.offset &&
      row.target.offset < r.offset + r.length) ||
    (key !== undefined && row.id === key && !row.target) ||
    (pageKey !== undefined && row.id === pageKey);
  void rows;
  host.querySelectorAll('.wb-mem g.entry, .wb-struct g.sk').forEach((el) => {
    const row = select(el).datum() as MemoryRow | undefined;
    if (row && hit(row)) out.push(el);
  });
  // The structure view: the page, or the SSTable.
  host.querySelectorAll('.wb-struct g.page').forEach((el) => {
    const d = select(el).datum() as { id?: number } | undefined;
    if (ad.engine === 'btree' && record !== undefined && d?.id === record && ad.fileRole(file) === 'pages')
      out.push(el);
  });
  host.querySelectorAll('.wb-struct g.sst').forEach((el) => {
    const d = select(el).datum() as { file?: string } | undefined;
    if (d?.file === file) out.push(el);
  });
  return out;
}
