/**
 * items.ts: an engine describer's groups and spans (engines/layout.ts) as the dump's items
 * and annotated hex fields. Each engine's layout.ts decodes; this only words what it found:
 * a group becomes an item (its unit the item's kind, its label the summary), a span a hex
 * field labelled with its name in words, its value and the engine's note.
 */
import type { Group, Span } from '../../engines/layout.js';
import { hex8 } from '../../engines/layout.js';
import { showBytes } from '../literal.js';
import type { HexField } from '../hexdump.js';
import type { DumpItem } from './types.js';

/** Text for bytes in a label, cut at 40 characters. */
export function short(b: Uint8Array): string {
  const s = showBytes(b);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/** A camelCase field name in words: "keyLength" -> "key length". */
export function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The label of one span: its name in words, its value, and the engine's note. */
export function spanLabel(s: Span): string {
  if (s.kind === 'malformed') return `does not decode: ${s.note ?? 'malformed'}`;
  let value = '';
  if (s.value instanceof Uint8Array) value = ` ${short(s.value)}`;
  else if (typeof s.value === 'string') value = ` ${JSON.stringify(s.value)}`;
  else if (typeof s.value === 'number') value = ` ${s.kind === 'crc' ? hex8(s.value) : String(s.value)}`;
  return `${words(s.name)}${value}${s.note ? ` (${s.note})` : ''}`;
}

/** The hex fields of a span list. */
export function hexFields(spans: readonly Span[]): HexField[] {
  return spans.map((s) => ({ offset: s.offset, length: s.length, label: spanLabel(s) }));
}

/** One group as a dump item, its children as nested items. */
export function itemOf(g: Group): DumpItem {
  const item: DumpItem = { offset: g.offset, length: g.length, kind: g.unit, summary: g.label };
  if (g.children?.length) item.children = g.children.map(itemOf);
  else if (g.spans.length) item.fields = hexFields(g.spans);
  return item;
}

/** Groups as dump items. */
export function itemsOf(groups: readonly Group[]): DumpItem[] {
  return groups.map(itemOf);
}
