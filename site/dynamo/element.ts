/**
 * element.ts: <kv-dynamo>, the cluster widget. Controls (N, R, W, virtual nodes), canned
 * scenarios, a console, and a timeline (step back and forward, scrub, play) over the frames
 * a Session recorded; each frame is drawn by render.ts.
 *
 * Attributes: data-scenario (run at load), data-scenarios (JSON list of scenario buttons).
 * It sets data-ready, data-step, data-steps and data-outcome (ok | stale | fail | none) for
 * tests.
 */
import { Player } from '../workbench/player.js';
import { DEFAULT_CONFIG, type ClusterConfig } from './cluster.js';
import { renderPicture } from './render.js';
import { HELP, SCENARIOS, Session, scenario } from './session.js';

const TEMPLATE = `
<div class="dy" tabindex="0" aria-label="Dynamo-style cluster simulation; arrow keys step">
  <div class="dy-bar">
    <label>N <select data-k="n"></select></label>
    <label>R <select data-k="r"></select></label>
    <label>W <select data-k="w"></select></label>
    <label>vnodes <select data-k="vnodes"></select></label>
    <span class="dy-rule"></span>
  </div>
  <div class="dy-scenarios"></div>
  <div class="dy-timeline">
    <button type="button" data-act="first" title="First step (Home)" aria-label="First step"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M2 2h2v12H2zM14 2v12L5 8z" fill="currentColor"/></svg></button>
    <button type="button" data-act="back" title="Step back (←)" aria-label="Step back"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M12 2v12L3 8z" fill="currentColor"/></svg></button>
    <button type="button" data-act="play" title="Play / pause (Space)" aria-label="Play"></button>
    <button type="button" data-act="fwd" title="Step forward (→)" aria-label="Step forward"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M4 2v12l9-6z" fill="currentColor"/></svg></button>
    <button type="button" data-act="last" title="Last step (End)" aria-label="Last step"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M12 2h2v12h-2zM2 2v12l9-6z" fill="currentColor"/></svg></button>
    <input type="range" class="dy-scrub" min="0" max="0" value="0" aria-label="Step">
    <span class="dy-pos"></span>
  </div>
  <p class="dy-caption" aria-live="polite"></p>
  <div class="dy-main">
    <svg class="dy-ring" role="img" aria-label="The hash ring"></svg>
    <div class="dy-nodes"></div>
  </div>
  <div class="dy-merkle" hidden></div>
  <p class="dy-outcome"></p>
  <p class="dy-flight"></p>
  <div class="dy-console">
    <div class="dy-out"></div>
    <form class="dy-form"><input class="dy-input" spellcheck="false" autocomplete="off" aria-label="Cluster command" placeholder="${HELP}"><button type="submit">Run</button></form>
  </div>
</div>`;

/** The cluster widget. */
export class KvDynamo extends HTMLElement {
  private config: ClusterConfig = { ...DEFAULT_CONFIG };
  private session!: Session;
  private player!: Player;
  private unsub: (() => void) | undefined;
  private log: { text: string; kind: 'cmd' | 'ok' | 'err' | 'info' }[] = [];

  connectedCallback(): void {
    if (this.dataset.ready) return;
    this.innerHTML = TEMPLATE;
    // Quorum controls.
    for (const sel of this.querySelectorAll<HTMLSelectElement>('.dy-bar select')) {
      sel.addEventListener('change', () => {
        const k = sel.dataset.k as 'n' | 'r' | 'w' | 'vnodes';
        this.config = { ...this.config, [k]: Number(sel.value) };
        if (k === 'n')
          this.config = {
            ...this.config,
            r: Math.min(this.config.r, this.config.n),
            w: Math.min(this.config.w, this.config.n),
          };
        this.restart(
          this.session.lines,
          `settings changed: the same ${this.session.lines.length} command${this.session.lines.length === 1 ? '' : 's'} replayed on a fresh cluster`,
        );
      });
    }
    // Scenario buttons.
    const wanted = this.dataset.scenarios
      ? (JSON.parse(this.dataset.scenarios) as string[])
      : SCENARIOS.map((s) => s.name);
    const box = this.q('.dy-scenarios');
    for (const name of wanted) {
      const s = scenario(name);
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'dy-scn';
      b.dataset.scenario = s.name;
      b.textContent = s.label;
      b.addEventListener('click', () => this.runScenario(s.name));
      box.append(b);
    }
    // Timeline.
    this.querySelectorAll<HTMLButtonElement>('.dy-timeline button').forEach((b) =>
      b.addEventListener('click', () => {
        const act = b.dataset.act;
        if (act === 'first') this.player.step(-Infinity);
        else if (act === 'back') this.player.step(-1);
        else if (act === 'fwd') this.player.step(1);
        else if (act === 'last') this.player.step(Infinity);
        else this.player.toggle();
      }),
    );
    const scrub = this.q<HTMLInputElement>('.dy-scrub');
    scrub.addEventListener('input', () => this.player.seek(Number(scrub.value)));
    this.q('.dy').addEventListener('keydown', (e) => {
      if ((e.target as HTMLElement).tagName === 'INPUT' || (e.target as HTMLElement).tagName === 'SELECT') return;
      const k = (e as KeyboardEvent).key;
      if (k === 'ArrowLeft') this.player.step(-1);
      else if (k === 'ArrowRight') this.player.step(1);
      else if (k === 'Home') this.player.step(-Infinity);
      else if (k === 'End') this.player.step(Infinity);
      else if (k === ' ') this.player.toggle();
      else return;
      e.preventDefault();
    });
    // Console.
    this.q('.dy-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = this.q<HTMLInputElement>('.dy-input');
      const line = input.value;
      input.value = '';
      this.type(line);
    });
    const first = this.dataset.scenario;
    if (first) this.runScenario(first, false);
    else this.restart([], 'a fresh cluster');
    this.dataset.ready = 'true';
  }

  /** Runs one console line and shows its steps from the first. */
  type(line: string): void {
    if (!line.trim()) return;
    const r = this.session.run(line);
    this.log.push({ text: `> ${line.trim()}`, kind: 'cmd' });
    this.log.push({ text: r.message, kind: r.ok ? 'ok' : 'err' });
    this.drawLog();
    if (r.ok) this.player.seek(r.from);
    else this.update();
  }

  /** Starts scenario `name` (its quorum settings applied) and shows its first step. */
  runScenario(name: string, play = true): void {
    const s = scenario(name);
    this.config = { ...this.config, ...s.config };
    const fresh = new Session(this.config);
    const lines = s.lines(fresh.ring, this.config);
    fresh.close();
    this.restart(lines, `scenario: ${s.label}`);
    this.player.seek(play ? 1 : this.session.frames.length - 1);
  }

  /** A fresh cluster with `lines` replayed on it. */
  private restart(lines: readonly string[], note: string): void {
    this.session?.close();
    this.session = new Session(this.config);
    this.log = [{ text: note, kind: 'info' }];
    for (const l of lines) {
      const r = this.session.run(l);
      this.log.push({ text: `> ${l}`, kind: 'cmd' }, { text: r.message, kind: r.ok ? 'ok' : 'err' });
    }
    this.unsub?.();
    this.player?.pause();
    this.player = new Player(() => this.session.frames.length);
    this.player.setSpeed(2);
    this.unsub = this.player.subscribe(() => this.update());
    this.syncControls();
    this.drawLog();
    this.player.seek(this.session.frames.length - 1);
  }

  /** Shows the settings in the selects, and what R + W against N means. */
  private syncControls(): void {
    const c = this.config;
    const opts: Record<string, number[]> = {
      n: [1, 2, 3, 4, 5],
      r: Array.from({ length: c.n }, (_, i) => i + 1),
      w: Array.from({ length: c.n }, (_, i) => i + 1),
      vnodes: [1, 2, 3, 4, 8],
    };
    for (const sel of this.querySelectorAll<HTMLSelectElement>('.dy-bar select')) {
      const k = sel.dataset.k as keyof typeof opts;
      sel.replaceChildren(...opts[k]!.map((v) => new Option(String(v), String(v))));
      sel.value = String(c[k as 'n']);
    }
    const overlap = c.r + c.w > c.n;
    const rule = this.q('.dy-rule');
    rule.className = `dy-rule ${overlap ? 'ok' : 'stale'}`;
    rule.textContent = overlap
      ? `R + W = ${c.r + c.w} > N = ${c.n}: reads overlap writes`
      : `R + W = ${c.r + c.w} ≤ N = ${c.n}: a read can miss the newest write`;
  }

  /** Draws the step shown. */
  private update(): void {
    const i = this.player.index;
    const frame = this.session.frames[i]!;
    renderPicture(this.q('.dy'), frame.picture, this.session.ring);
    this.q('.dy-caption').textContent = frame.picture.caption;
    const scrub = this.q<HTMLInputElement>('.dy-scrub');
    scrub.max = String(this.session.frames.length - 1);
    scrub.value = String(i);
    this.q('.dy-pos').textContent = `step ${i + 1} of ${this.session.frames.length}`;
    const play = this.q('[data-act="play"]');
    const icon = this.player.playing ? 'M3 2h4v12H3zM9 2h4v12H9z' : 'M4 2v12l9-6z';
    if (play.dataset.icon !== icon) {
      play.dataset.icon = icon;
      play.innerHTML = `<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="${icon}" fill="currentColor"/></svg>`;
      play.setAttribute('aria-label', this.player.playing ? 'Pause' : 'Play');
    }
    const o = frame.picture.outcome;
    this.dataset.step = String(i);
    this.dataset.steps = String(this.session.frames.length);
    this.dataset.outcome = o ? (o.stale ? 'stale' : o.ok ? 'ok' : 'fail') : 'none';
  }

  /** The console output. */
  private drawLog(): void {
    const out = this.q('.dy-out');
    out.replaceChildren(
      ...this.log
        .filter((l) => l.text)
        .map((l) => {
          const p = document.createElement('p');
          p.className = `line ${l.kind}`;
          p.textContent = l.text;
          return p;
        }),
    );
    out.scrollTop = out.scrollHeight;
  }

  private q<T extends HTMLElement = HTMLElement>(sel: string): T {
    return this.querySelector<T>(sel)!;
  }
}

/** Registers <kv-dynamo> once. */
export function defineDynamo(): void {
  if (!customElements.get('kv-dynamo')) customElements.define('kv-dynamo', KvDynamo);
}
