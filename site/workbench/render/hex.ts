/**
 * hex.ts: draws the annotated hex view (HTML): offset, 16 bytes coloured by field, the same
 * bytes as text, then a legend naming each field with its decoded value.
 */
import { select } from 'd3';
import type { HexModel } from '../panes.js';

/** Draws `model` into `el`, or a note when the step touched no bytes. */
export function renderHex(el: HTMLElement, model: HexModel | undefined): void {
  const root = select(el);
  root.selectAll('*').remove();
  // The file the bytes belong to: a click on a byte proposes `corrupt <file> <offset>` (links.ts).
  if (model) el.dataset.file = model.file;
  else delete el.dataset.file;
  if (!model) {
    root.append('p').attr('class', 'wb-note').text('This command has not read or written any bytes yet.');
    return;
  }
  root
    .append('p')
    .attr('class', `wb-hex-title ${model.kind}`)
    .text(model.title + (model.earlier ? ' (an earlier step of this command)' : ''));
  // The line naming the field under the pointer (filled by the widget on hover).
  root
    .append('p')
    .attr('class', 'wb-hex-field')
    .attr('aria-live', 'polite')
    .text(
      `${model.kind === 'select' ? 'Selected bytes are outlined; point at a byte to name its field.' : 'Point at a byte to name its field and light up its structure.'} Click a byte to damage it on disk (corrupt).`,
    );
  const sel = model.selected;
  const table = root.append('div').attr('class', 'wb-hex-grid').attr('role', 'table').attr('aria-label', model.title);
  for (const row of model.rows) {
    const line = table.append('div').attr('class', 'wb-hex-row').attr('role', 'row');
    line.append('span').attr('class', 'off').text(row.offset.toString(16).padStart(6, '0'));
    const lead = row.bytes.length > 0 ? row.bytes[0]!.offset - row.offset : 0;
    const bytes = line.append('span').attr('class', 'bytes');
    for (let k = 0; k < lead; k++) bytes.append('span').attr('class', 'b pad').text('  ');
    bytes
      .selectAll('span.b.v')
      .data(row.bytes)
      .enter()
      .append('span')
      .attr(
        'class',
        (b) =>
          `b v ${b.field >= 0 ? `k-${model.legend[b.field]!.kind}` : 'k-raw'}${b.field >= 0 && b.field % 2 === 1 ? ' alt' : ''}${sel && b.offset >= sel[0] && b.offset < sel[1] ? ' sel' : ''}`,
      )
      .attr('data-field', (b) => b.field)
      .attr('data-offset', (b) => b.offset)
      .attr('title', (b) => (b.field >= 0 ? fieldTitle(model, b.field) : 'no field'))
      .text((b) => b.value.toString(16).padStart(2, '0'));
    const ascii = line.append('span').attr('class', 'ascii');
    ascii.text(
      ' '.repeat(lead) +
        row.bytes.map((b) => (b.value >= 0x20 && b.value < 0x7f ? String.fromCharCode(b.value) : '·')).join(''),
    );
  }
  if (model.hidden > 0) root.append('p').attr('class', 'wb-note').text(`… ${model.hidden} more bytes not shown`);
  const legend = root.append('ul').attr('class', 'wb-legend');
  legend
    .selectAll('li')
    .data(model.legend)
    .enter()
    .append('li')
    .attr('data-field', (_, i) => i)
    .html('')
    .each(function (f) {
      const li = select(this);
      li.append('span').attr('class', `sw k-${f.kind}`);
      li.append('span')
        .attr('class', 'name')
        .text(`${f.record !== undefined ? `#${f.record} ` : ''}${f.name}`);
      if (f.text !== undefined) li.append('span').attr('class', 'val').text(f.text);
    });
  // Hovering a legend entry marks its bytes.
  legend.selectAll<HTMLLIElement, unknown>('li').on('mouseenter', function () {
    const i = this.dataset.field;
    root.selectAll<HTMLSpanElement, unknown>('span.b.v').classed('hl', function () {
      return this.dataset.field === i;
    });
  });
  legend.on('mouseleave', () => root.selectAll('span.b.v').classed('hl', false));
}

/** Tooltip for a byte in field `i`. */
function fieldTitle(m: HexModel, i: number): string {
  const f = m.legend[i]!;
  return `${f.name}${f.record !== undefined ? ` of record ${f.record}` : ''}: ${f.length} B at ${f.offset}${f.text !== undefined ? ` = ${f.text}` : ''}`;
}
