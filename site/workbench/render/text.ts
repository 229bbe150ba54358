/**
 * text.ts: text that fits, for the SVG pictures. Structure labels are set in the monospace
 * font (structure.css), so a label's width is its length times CHAR_W, on any machine, and a
 * picture can size its boxes to its labels instead of cutting them.
 */
import type { Selection } from 'd3';

/** Pixels per character of the structure pictures' monospace labels (11 px font). */
export const CHAR_W = 6.7;
/** Line height of those labels. */
export const LINE_H = 14;

/** The width `text` takes. */
export function textWidth(text: string): number {
  return Math.ceil(text.length * CHAR_W);
}

/**
 * `text` broken into lines of at most `max` characters, at `sep` where it can (words by
 * default); a part longer than a line is broken inside.
 */
export function wrap(text: string, max: number, sep = ' '): string[] {
  const width = Math.max(4, Math.floor(max));
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(sep)) {
    const next = line === '' ? part : line + sep + part;
    if (next.length <= width) {
      line = next;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = part;
    while (rest.length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line = rest;
  }
  if (line !== '') lines.push(line);
  return lines.length ? lines : [''];
}

/** Draws lines of text at (x, y), one <text> of class `cls` (and `style`) per line, into layer `g`; returns the y under them. */
export function textBlock(
  g: Selection<SVGGElement, unknown, null, undefined>,
  cls: string,
  lines: string[],
  x: number,
  y: number,
  style = '',
): number {
  g.selectAll<SVGTextElement, string>(`text.${cls}`)
    .data(lines)
    .join('text')
    .attr('class', `${cls} ${style}`.trim())
    .attr('x', x)
    .attr('y', (_, i) => y + i * LINE_H)
    .text((d) => d);
  return y + lines.length * LINE_H;
}

/** Sets a <text> element's content to `lines`, one <tspan> each, `LINE_H` apart. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function setLines(t: Selection<SVGTextElement, any, any, any>, lines: (d: any) => string[], x: number): void {
  t.each(function (d) {
    const el = this;
    const ls = lines(d);
    while (el.firstChild) el.removeChild(el.firstChild);
    ls.forEach((line, i) => {
      const span = el.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'tspan');
      span.setAttribute('x', String(x));
      span.setAttribute('dy', i === 0 ? '0' : String(LINE_H));
      span.textContent = line;
      el.appendChild(span);
    });
  });
}
