/**
 * legend.ts: the colour legend under the files pane: one swatch per field kind (and state)
 * that the files on screen show, so every colour drawn is named.
 */
import { select } from 'd3';
import type { FileModel } from '../panes.js';
import type { FieldKind } from '../adapter.js';

/** Field kinds and states with their labels, in legend order. */
export const LEGEND: [FieldKind | 'unsynced' | 'dead' | 'raw', string][] = [
  ['header', 'header'],
  ['length', 'lengths / counts'],
  ['key', 'key'],
  ['value', 'value'],
  ['crc', 'checksum'],
  ['time', 'sequence number'],
  ['flag', 'flags'],
  ['pointer', 'pointer (offset, page id, block handle)'],
  ['filter', 'bloom filter bits'],
  ['unused', 'unused (free space, reserved)'],
  ['unsynced', 'not yet synced'],
  ['dead', 'stale (no longer pointed at)'],
  ['raw', 'bytes that do not decode (a torn tail, or a file whose engine has no describer)'],
];

/** The kinds and states that `files` show. */
export function shownKinds(files: readonly FileModel[]): Set<string> {
  const shown = new Set<string>();
  for (const f of files) {
    for (const x of f.fields) shown.add(x.kind);
    if (f.unsynced.length > 0) shown.add('unsynced');
    if (f.records.some((r) => !r.live)) shown.add('dead');
    const covered = f.fields.reduce((n, x) => Math.max(n, x.offset + x.length), 0);
    if (covered < f.size) shown.add('raw');
  }
  return shown;
}

/** Draws the legend of `files` into the list `ul`. */
export function renderLegend(ul: HTMLElement, files: readonly FileModel[]): void {
  const shown = shownKinds(files);
  select(ul)
    .selectAll<HTMLLIElement, (typeof LEGEND)[number]>('li')
    .data(
      LEGEND.filter(([k]) => shown.has(k)),
      (d) => d[0],
    )
    .join((enter) => {
      const li = enter.append('li');
      li.append('span').attr('class', ([k]) => `sw k-${k}`);
      li.append('span').text(([, label]) => label);
      return li;
    });
}
