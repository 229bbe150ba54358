/**
 * panels.ts: the smaller panes, drawn with d3 into HTML: the event list of the current
 * command, the counters, and the console output.
 */
import { select } from 'd3';
import type { EventLine } from '../panes.js';
import { formatBytes } from '../panes.js';
import type { FrameCounters } from '../frame.js';
import type { OutputLine } from '../recorder.js';

/** Draws the event list; the current step is marked; clicking a line calls `seek`. */
export function renderEvents(
  el: HTMLElement,
  title: string,
  lines: EventLine[],
  current: number,
  seek: (step: number) => void,
): void {
  const root = select(el);
  root
    .selectAll<HTMLParagraphElement, string>('p.wb-cmd')
    .data([title])
    .join('p')
    .attr('class', 'wb-cmd')
    .text((d) => d);
  let ol = root.select<HTMLOListElement>('ol');
  if (ol.empty()) ol = root.append('ol');
  ol.selectAll<HTMLLIElement, EventLine>('li')
    .data(lines, (l) => String(l.step))
    .join('li')
    .attr(
      'class',
      (l) =>
        `ev ${l.family}${l.error ? ' error' : ''}${l.step === current ? ' current' : ''}${l.step > current || l.step === -2 ? ' future' : ''}${l.step < 0 ? ' more' : ''}`,
    )
    .attr('aria-current', (l) => (l.step === current ? 'step' : null))
    .text((l) => l.text)
    .on('click', (_, l) => {
      if (l.step >= 0) seek(l.step);
    });
  // Keep the current line in view, scrolling only the list (never the page). Reading offsets
  // forces a layout, so do it once per animation frame, when the browser lays out anyway.
  const box = ol.node();
  if (box && !pendingScroll.has(box)) {
    pendingScroll.add(box);
    requestAnimationFrame(() => {
      pendingScroll.delete(box);
      const cur = box.querySelector<HTMLLIElement>('li.current');
      if (!cur) return;
      // Where the line sits inside the list's scrolled content, measured from the list itself
      // (offsetTop counts from the nearest positioned ancestor, which need not be the list).
      const top = cur.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      const bottom = top + cur.getBoundingClientRect().height;
      if (top < box.scrollTop) box.scrollTop = top;
      else if (bottom > box.scrollTop + box.clientHeight) box.scrollTop = bottom - box.clientHeight;
    });
  }
}

/** Event lists with a scroll adjustment already scheduled for the next frame. */
const pendingScroll = new WeakSet<HTMLElement>();

/** Draws the counters as tiles, plus a bar of memory against disk. */
export function renderCounters(el: HTMLElement, c: FrameCounters, notes: [string, string][]): void {
  const tiles: [string, string, string][] = [
    ['written', formatBytes(c.bytesWritten), `${c.writes} writes since the page loaded`],
    ['read', formatBytes(c.bytesRead), `${c.reads} reads since the page loaded`],
    ['syncs', String(c.syncs), 'fsync calls (files and directories)'],
    ['on disk', formatBytes(c.diskBytes), `${c.files} file${c.files === 1 ? '' : 's'}`],
    ['not yet durable', formatBytes(c.unsyncedBytes), 'bytes written since their file was last synced'],
    [
      'in memory',
      c.memoryBytes === null ? '—' : `≈ ${formatBytes(c.memoryBytes)}`,
      'the engine’s estimate of its in-memory structures',
    ],
    ['keys', c.liveKeys === null ? '—' : String(c.liveKeys), 'live keys'],
    ...notes.filter(([n]) => n !== 'keys').map(([n, v]): [string, string, string] => [n, v, '']),
  ];
  const root = select(el);
  root
    .selectAll<HTMLDivElement, [string, string, string]>('div.tile')
    .data(tiles, (t) => t[0])
    .join((enter) => {
      const d = enter.append('div').attr('class', 'tile');
      d.append('span').attr('class', 'n');
      d.append('span').attr('class', 'l');
      return d;
    })
    .attr('title', (t) => t[2])
    .attr('data-counter', (t) => t[0])
    .each(function (t) {
      const d = select(this);
      d.select('span.n').text(t[1]);
      d.select('span.l').text(t[0]);
    });
}

/** Appends console output lines. */
export function appendOutput(el: HTMLElement, lines: OutputLine[]): void {
  const root = select(el);
  for (const l of lines) {
    root
      .append('div')
      .attr('class', `line ${l.kind}`)
      .text(l.kind === 'cmd' ? `› ${l.text}` : l.text);
  }
  el.scrollTop = el.scrollHeight;
}
