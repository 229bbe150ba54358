/**
 * crashlab-element.ts: <kv-crashlab>, the crash page's control. The reader picks an engine and
 * one of the disk-changing calls of a small workload (each a tick under its command); the
 * element runs the real engine up to that call, cuts the power (crashlab.ts), reopens, and
 * shows which commands had completed, which were durable, what recovery did, what the store
 * holds now, and whether that is a state the durability rule allows.
 *
 * Attributes: data-workload (JSON array of console lines), data-engine (the first engine shown).
 */
import { select } from 'd3';
import type { EngineName } from '../../engines/kv.js';
import {
  CRASH_WORKLOAD,
  WHY,
  crashAt,
  crashPoints,
  prefixStates,
  type CrashPoint,
  type CrashResult,
} from './crashlab.js';
import { duration } from './render/motion.js';

const ENGINES: EngineName[] = ['snapshot', 'bitcask', 'btree', 'lsm'];

const TEMPLATE = `
<div class="cl-engines" role="radiogroup" aria-label="Engine"></div>
<p class="cl-help">Each tick is one call that changes the disk (write, fsync, rename, …), under the command that made it. Pick one: the power is cut right after it.</p>
<ol class="cl-work" aria-label="Workload"></ol>
<div class="cl-pick">
  <button type="button" data-act="prev" aria-label="Crash one call earlier">◀</button>
  <input type="range" class="cl-range" min="0" max="0" value="0" aria-label="Crash after call">
  <button type="button" data-act="next" aria-label="Crash one call later">▶</button>
  <label class="cl-torn"><input type="checkbox" class="cl-tear"> tear the last unsynced write</label>
</div>
<p class="cl-call" aria-live="polite"></p>
<div class="cl-result">
  <section class="cl-verdict" aria-live="polite"></section>
  <section class="cl-after"><h4>After reopen, the store holds</h4><div class="cl-pairs"></div></section>
  <section class="cl-recovery"><h4>What recovery did</h4><ol class="cl-rec"></ol></section>
  <section class="cl-why"><h4>Why</h4><p class="cl-why-text"></p></section>
</div>`;

/** The crash lab element. */
export class KvCrashLab extends HTMLElement {
  private engine: EngineName = 'btree';
  private workload: string[] = [...CRASH_WORKLOAD];
  private points: CrashPoint[] = [];
  private point = 0;
  private torn = false;
  /** The last result (tests read it). */
  result: CrashResult | undefined;

  connectedCallback(): void {
    if (this.dataset.ready) return;
    if (this.dataset.workload) this.workload = JSON.parse(this.dataset.workload) as string[];
    if (this.dataset.engine && ENGINES.includes(this.dataset.engine as EngineName))
      this.engine = this.dataset.engine as EngineName;
    const root = document.createElement('div');
    root.className = 'cl';
    root.innerHTML = TEMPLATE;
    this.replaceChildren(root);
    const bar = select(this.q('.cl-engines'));
    for (const e of ENGINES) {
      bar
        .append('button')
        .attr('type', 'button')
        .attr('role', 'radio')
        .attr('data-engine', e)
        .text(e)
        .on('click', () => this.setEngine(e));
    }
    const range = this.q<HTMLInputElement>('.cl-range');
    range.addEventListener('input', () => this.pick(Number(range.value)));
    this.q<HTMLInputElement>('.cl-tear').addEventListener('change', (ev) => {
      this.torn = (ev.target as HTMLInputElement).checked;
      this.run();
    });
    this.querySelectorAll<HTMLButtonElement>('.cl-pick button').forEach((b) =>
      b.addEventListener('click', () => this.pick(this.point + (b.dataset.act === 'prev' ? -1 : 1))),
    );
    this.setEngine(this.engine);
    this.dataset.ready = 'true';
  }

  /** Switches engine, keeping the crash at the same command if possible. */
  setEngine(e: EngineName): void {
    const cmd = this.points[this.point]?.command;
    this.engine = e;
    this.points = crashPoints(e, this.workload);
    // Default: the first call of the first write after the first sync, where crashes get interesting.
    const want = cmd ?? this.workload.indexOf('sync') + 1;
    const at = this.points.findIndex((p) => p.command >= want);
    this.point = at >= 0 ? at : this.points.length - 1;
    this.select(this.q('.cl-engines'))
      .selectAll<HTMLButtonElement, unknown>('button')
      .attr('aria-checked', function () {
        return String(this.dataset.engine === e);
      })
      .classed('on', function () {
        return this.dataset.engine === e;
      });
    this.drawWorkload();
    this.run();
  }

  /** Picks crash point `i` (clamped). */
  pick(i: number): void {
    this.point = Math.max(0, Math.min(this.points.length - 1, i));
    this.run();
  }

  /** Runs the crash and redraws. */
  private run(): void {
    const r = crashAt(this.engine, this.workload, this.point, this.torn);
    this.result = r;
    const range = this.q<HTMLInputElement>('.cl-range');
    range.max = String(this.points.length - 1);
    range.value = String(this.point);
    const p = this.points[this.point];
    this.q('.cl-call').textContent = p
      ? `Power cut after call ${this.point + 1} of ${this.points.length}: ${p.text}${p.command >= 0 ? `, during “${this.workload[p.command]}”` : ', while creating the store'}. ${r.lost}.`
      : '';
    this.drawWorkload();
    this.drawResult(r);
    this.dataset.engine = this.engine;
    this.dataset.point = String(this.point);
    this.dataset.holds = String(r.holds);
  }

  /** The workload list: status of each command and its ticks. */
  private drawWorkload(): void {
    const r = this.result;
    // Row -1 is opening the store (creating its files): a crash can hit that too.
    const rows = [{ text: '(open: create the store)', i: -1 }, ...this.workload.map((text, i) => ({ text, i }))].map(
      (r) => ({ ...r, ticks: this.points.filter((p) => p.command === r.i) }),
    );
    const li = select(this.q('.cl-work'))
      .selectAll<HTMLLIElement, (typeof rows)[number]>('li')
      .data(rows)
      .join((enter) => {
        const l = enter.append('li');
        l.append('span').attr('class', 'st');
        l.append('code').attr('class', 'cmd');
        l.append('span').attr('class', 'ticks');
        return l;
      });
    const status = (i: number): [string, string] => {
      if (!r) return ['', ''];
      if (i < 0)
        return r.completed > 0 || r.inFlight !== undefined
          ? ['done', 'the store was created']
          : ['cut', 'the crash hit the creation of the store'];
      if (i < r.completed)
        return i < r.durableThrough
          ? ['durable', 'done, durable (a sync completed after it)']
          : ['done', 'done, acknowledged, not yet synced'];
      if (i === r.inFlight) return ['cut', 'interrupted by the crash'];
      return ['never', 'never ran'];
    };
    li.attr('class', (d) => `st-${status(d.i)[0]}`);
    li.select('span.st')
      .attr('title', (d) => status(d.i)[1])
      .text((d) => ({ durable: '✔', done: '✓', cut: '⚡', never: '·', '': '' })[status(d.i)[0]] ?? '');
    li.select('code.cmd').text((d) => d.text);
    const me = this;
    li.select('span.ticks').each(function (d) {
      select(this)
        .selectAll<HTMLButtonElement, CrashPoint>('button')
        .data(d.ticks, (p) => String(p.index))
        .join('button')
        .attr('type', 'button')
        .attr('class', (p) => `tick${p.index === me.point ? ' on' : ''}${p.index < me.point ? ' past' : ''}`)
        .attr('title', (p) => `crash after call ${p.index + 1}: ${p.text}`)
        .attr('aria-label', (p) => `crash after call ${p.index + 1}: ${p.text}`)
        .on('click', (_, p) => me.pick(p.index));
    });
  }

  /** The verdict, the recovered pairs, the recovery trace and the explanation. */
  private drawResult(r: CrashResult): void {
    const states = prefixStates(this.workload);
    const started = r.inFlight !== undefined ? r.inFlight + 1 : r.completed;
    const v = select(this.q('.cl-verdict'));
    v.selectAll('*').remove();
    v.classed('ok', r.holds).classed('bad', !r.holds);
    if (r.error) {
      v.append('p').attr('class', 'big').text(`Reopen failed: ${r.error}`);
    } else {
      v.append('p')
        .attr('class', 'big')
        .text(
          r.holds
            ? `✔ The rule holds: this is the state after the first ${r.prefix} command${r.prefix === 1 ? '' : 's'}.`
            : `✘ Not a state the rule allows (closest: after ${r.prefix} commands).`,
        );
      v.append('p').text(
        `The rule allows the state after any prefix from ${r.durableThrough} command${r.durableThrough === 1 ? '' : 's'} (everything before the last completed sync) to ${started} (everything that had started). ${r.completed} completed, ${r.inFlight !== undefined ? `command ${r.inFlight + 1} was interrupted` : 'none was interrupted'}.`,
      );
      const lostKeys = [...(states[r.completed]?.entries() ?? [])]
        .filter(([k, val]) => !r.recovered.some(([rk, rv]) => rk === k && rv === val))
        .map(([k, val]) => `${k}=${val}`);
      if (lostKeys.length) v.append('p').text(`Acknowledged but not durable, so lost: ${lostKeys.join(', ')}.`);
    }
    const pairs = select(this.q('.cl-pairs'));
    pairs
      .selectAll<HTMLSpanElement, [string, string]>('span.pair')
      .data(r.recovered, (d) => d[0])
      .join(
        (enter) => enter.append('span').attr('class', 'pair').style('opacity', 0),
        (update) => update,
        (exit) => exit.remove(),
      )
      .text((d) => `${d[0]} = ${d[1]}`)
      .transition()
      .duration(duration(300))
      .style('opacity', 1);
    pairs
      .selectAll<HTMLParagraphElement, string>('p.none')
      .data(r.recovered.length ? [] : ['(empty)'])
      .join('p')
      .attr('class', 'none')
      .text((d) => d);
    select(this.q('.cl-rec'))
      .selectAll<HTMLLIElement, string>('li')
      .data(r.recovery.length ? r.recovery : ['(no engine events)'])
      .join('li')
      .text((d) => d);
    this.q('.cl-why-text').textContent = WHY[this.engine];
  }

  /** d3 selection of an element. */
  private select(el: Element) {
    return select(el);
  }

  /** One element inside. */
  private q<T extends Element = HTMLElement>(sel: string): T {
    const el = this.querySelector<T>(sel);
    if (!el) throw new Error(`crashlab: missing ${sel}`);
    return el;
  }
}

/** Registers <kv-crashlab> once. */
export function defineCrashLab(): void {
  if (!customElements.get('kv-crashlab')) customElements.define('kv-crashlab', KvCrashLab);
}
