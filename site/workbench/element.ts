/**
 * element.ts: <kv-workbench>, the custom element behind the Workbench island. It owns its
 * DOM (toolbar, timeline, SVG panes, console), a Recorder running the real engine, and a
 * Player over the recording, and redraws every pane from frameAt() when the step changes.
 * Two controllers of their own handle the rest: links.ts (diagrams and bytes linked) and
 * share-link.ts (the session in the address bar).
 *
 * Attributes (set by Workbench.astro from the MDX):
 *   data-engine     snapshot | bitcask | btree | lsm
 *   data-options    JSON engine tuning, e.g. {"maxFileBytes": 256}
 *   data-commands   JSON array of console lines run silently before the reader arrives
 *   data-scenario   a scenario name run at load (the reader can replay it from its start)
 *   data-scenarios  JSON array of scenario names to offer as buttons (default: all)
 */
import { select } from 'd3';
import { decodeSession, parseHash, cleanLine, type Session } from './share.js';
import { Recorder } from './recorder.js';
import { adapterFor, ENGINE_NAMES } from './engines/index.js';
import { frameAt, type Frame } from './frame.js';
import { Player, SPEEDS } from './player.js';
import { eventLines, filesModel, hexModel, describeEvent } from './panes.js';
import { selectionHex, type DiagramTarget, type LinkedRange } from './linked.js';
import { LinkController } from './links.js';
import { ShareController } from './share-link.js';
import { renderMemory } from './render/memory.js';
import { renderFiles } from './render/files.js';
import { renderHex } from './render/hex.js';
import { damageHex } from './corrupt.js';
import { renderLegend } from './render/legend.js';
import { appendOutput, renderCounters, renderEvents } from './render/panels.js';
import { duration, stopMotion } from './render/motion.js';
import { structureRenderer } from './render/structures.js';

let serial = 0;

/** A small id per object (for cache keys built from objects the models share). */
const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = ++nextId));
  return id;
}

const PLAY_ICON =
  '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M3 2v12l11-6z" fill="currentColor"/></svg>';
const PAUSE_ICON =
  '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M3 2h4v12H3zM9 2h4v12H9z" fill="currentColor"/></svg>';

/** The shell of the widget; the panes are filled by the renderers. */
const TEMPLATE = `
<div class="wb-bar">
  <span class="wb-engine"></span>
  <span class="wb-scenarios" role="group" aria-label="Scenarios"></span>
  <button type="button" class="wb-fromstart" data-act="fromstart" hidden title="Play the scenario from its first step">▶ play from the start</button>
  <span class="wb-share"><button type="button" class="wb-copylink" title="Copy a link that replays this session to this step">copy link</button><span class="wb-share-status" aria-live="polite"></span></span>
</div>
<p class="wb-linkmsg" role="alert" hidden></p>
<div class="wb-timeline" role="group" aria-label="Timeline">
  <button type="button" data-act="prevcmd" title="Previous command (Shift+←)" aria-label="Previous command"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M2 2h2v12H2zM14 2v12L5 8z" fill="currentColor"/></svg></button>
  <button type="button" data-act="back" title="Step back (←)" aria-label="Step back"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M12 2v12L3 8z" fill="currentColor"/></svg></button>
  <button type="button" data-act="play" class="play" title="Play / pause (Space)" aria-label="Play"></button>
  <button type="button" data-act="fwd" title="Step forward (→)" aria-label="Step forward"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M4 2v12l9-6z" fill="currentColor"/></svg></button>
  <button type="button" data-act="nextcmd" title="Skip to the next command (Shift+→)" aria-label="Next command"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M12 2h2v12h-2zM2 2v12l9-6z" fill="currentColor"/></svg></button>
  <input type="range" class="wb-scrub" min="0" max="0" value="0" aria-label="Scrub to step">
  <span class="wb-pos" aria-live="off"></span>
  <label class="wb-speed-l">speed <select class="wb-speed" aria-label="Steps per second"></select></label>
</div>
<p class="wb-caption" aria-live="polite"></p>
<div class="wb-grid">
  <section class="wb-pane wb-mem"><h4>In memory</h4><svg class="wb-svg" role="img" aria-label="In-memory structures"></svg></section>
  <section class="wb-pane wb-files"><h4>On disk</h4><div class="wb-filesbox"><svg class="wb-svg" role="img" aria-label="Files on disk"></svg></div><ul class="wb-kinds"></ul></section>
  <section class="wb-pane wb-hex"><h4>Bytes this step touched</h4><div class="wb-hexbox"></div></section>
  <section class="wb-pane wb-events"><h4>Trace of this command</h4><div class="wb-evbox"></div></section>
</div>
<div class="wb-counters" aria-label="Counters"></div>
<div class="wb-console">
  <div class="wb-out" role="log" aria-label="Console output"></div>
  <form class="wb-form"><span class="wb-prompt">›</span><input class="wb-input" type="text" spellcheck="false" autocomplete="off" autocapitalize="off" aria-label="Console: type a command, e.g. put apple red" placeholder="put apple red · get apple · sync · crash · reopen · help"><button type="submit">run</button></form>
  <p class="wb-keys">Keys: <kbd>Space</kbd> play/pause · <kbd>←</kbd> <kbd>→</kbd> step (also from the empty console) · <kbd>Shift</kbd>+<kbd>←</kbd>/<kbd>→</kbd> previous/next command · <kbd>Home</kbd> <kbd>End</kbd></p>
</div>`;

/** The workbench custom element. */
export class KvWorkbench extends HTMLElement {
  private rec: Recorder | undefined;
  private player: Player | undefined;
  private history: string[] = [];
  /** Every console line run since the store was opened (what a shared link replays). */
  private lines: string[] = [];
  /** The engine options given (from the MDX or a link), as a link records them. */
  private options: Record<string, string | number | boolean> = {};
  private starting = false;
  private historyAt = 0;
  private resize: ResizeObserver | undefined;
  private current: Frame | undefined;
  private hatchId = `wb-hatch-${++serial}`;
  /** What the costly panes last drew, to skip redrawing the same picture. */
  private drawn = { files: '', hex: '' };
  /** Pane widths in px, measured when the widget's size changes. */
  private widths = new Map<string, number>();
  /** The first step of the scenario last run, for "play from the start". */
  private scenarioStart: number | undefined;
  /** True when the reader zoomed a too-wide structure picture out to fit its pane. */
  private fitStructure = false;
  private readonly links = new LinkController(this);
  private readonly share = new ShareController(this);

  connectedCallback(): void {
    if (this.rec || this.starting) return;
    // A link may hold this widget's session (#w<key>=<code>): decode it, then start from it.
    const code = parseHash(location.hash).get(this.shareKey);
    if (code === undefined) return this.start();
    this.starting = true;
    void decodeSession(code, ENGINE_NAMES).then((r) => {
      this.starting = false;
      if (r.ok) this.start(r.session);
      else this.start(undefined, r.error.message);
      // The link was about this widget: bring it into view.
      this.scrollIntoView({ block: 'start' });
    });
  }

  /** Starts the widget (from a shared session, or empty with a message when its link was malformed). */
  private start(session?: Session, linkError?: string): void {
    try {
      this.setup(session, linkError);
    } catch (e) {
      if (session) {
        // A link that decodes but cannot run (an option the engine refuses): start empty, say why.
        this.rec = undefined;
        return this.start(
          undefined,
          `the link's session could not be replayed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      this.textContent = `The workbench could not start: ${e instanceof Error ? e.message : String(e)}`;
      throw e;
    }
  }

  /** This widget's key in the URL hash: its id, else its index among the page's workbenches. */
  get shareKey(): string {
    if (this.id && /^[A-Za-z0-9_-]{1,40}$/.test(this.id)) return this.id;
    return String([...document.querySelectorAll('kv-workbench')].indexOf(this));
  }

  disconnectedCallback(): void {
    this.player?.pause();
    this.resize?.disconnect();
  }

  /** The recorder (for tests and the controllers). */
  get recorder(): Recorder | undefined {
    return this.rec;
  }

  /** The frame on screen. */
  get frame(): Frame | undefined {
    return this.current;
  }

  /** Stops playing. */
  pause(): void {
    this.player?.pause();
  }

  /** Redraws the panes for the current step. */
  redraw(): void {
    this.render();
  }

  /** Builds the DOM, opens the engine and runs the starting commands. */
  private setup(session?: Session, linkError?: string): void {
    const engine = session?.engine ?? this.dataset.engine ?? 'snapshot';
    const adapter = adapterFor(engine);
    const options = session
      ? session.options
      : this.dataset.options
        ? (JSON.parse(this.dataset.options) as Record<string, string | number | boolean>)
        : {};
    this.options = options;
    const root = document.createElement('div');
    root.className = 'wb';
    root.tabIndex = 0;
    root.setAttribute('role', 'region');
    root.setAttribute('aria-label', `${engine} workbench`);
    root.innerHTML = TEMPLATE;
    this.replaceChildren(root);

    const rec = new Recorder(adapter, { options });
    this.rec = rec;
    const player = new Player(() => rec.steps.length);
    this.player = player;

    this.q('.wb-engine').textContent = `${engine} engine${
      Object.keys(options).length
        ? ` · ${Object.entries(options)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(', ')}`
        : ''
    }`;
    // Scenario buttons.
    const offered = this.dataset.scenarios
      ? (JSON.parse(this.dataset.scenarios) as string[])
      : adapter.scenarios.map((s) => s.name);
    const bar = select(this.q('.wb-scenarios'));
    for (const sc of adapter.scenarios.filter((s) => offered.includes(s.name))) {
      bar
        .append('button')
        .attr('type', 'button')
        .attr('class', 'wb-scn')
        .attr('data-scenario', sc.name)
        .attr('title', sc.about)
        .text(sc.title)
        .on('click', () => this.runLine(`run ${sc.name}`));
    }
    // An engine with a structure picture (a page tree, LSM levels) gets a full-width pane for it.
    if (adapter.structure) {
      const sec = document.createElement('section');
      sec.className = 'wb-pane wb-struct';
      sec.innerHTML =
        '<h4></h4><svg class="wb-svg wb-svg-head" aria-hidden="true"></svg><p class="wb-pan-hint" hidden></p><div class="wb-structbox"><svg class="wb-svg wb-svg-main" role="img"></svg></div><svg class="wb-svg wb-svg-foot" aria-hidden="true"></svg>';
      sec.querySelector('h4')!.textContent = adapter.structure.title;
      sec.querySelector('svg.wb-svg-main')!.setAttribute('aria-label', adapter.structure.title);
      this.q('.wb-grid').before(sec);
    }
    // A hatch pattern for unsynced bytes, one id per widget.
    const filesSvg = this.q<SVGSVGElement>('.wb-files svg');
    filesSvg.innerHTML = `<defs><pattern id="${this.hatchId}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern></defs>`;
    filesSvg.style.setProperty('--wb-hatch', `url(#${this.hatchId})`);

    // Timeline controls.
    const speed = this.q<HTMLSelectElement>('.wb-speed');
    for (const s of SPEEDS) speed.append(new Option(`${s}/s`, String(s), s === player.speed, s === player.speed));
    speed.addEventListener('change', () => player.setSpeed(Number(speed.value)));
    const scrub = this.q<HTMLInputElement>('.wb-scrub');
    scrub.addEventListener('input', () => player.seek(Number(scrub.value)));
    this.querySelectorAll<HTMLButtonElement>('.wb-timeline button, .wb-fromstart').forEach((b) =>
      b.addEventListener('click', () => this.act(b.dataset.act ?? '')),
    );
    root.addEventListener('keydown', (e) => this.onKey(e));

    // The console.
    const input = this.q<HTMLInputElement>('.wb-input');
    this.q('.wb-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const line = input.value;
      input.value = '';
      this.runLine(line);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        e.preventDefault();
        this.historyAt = Math.max(0, Math.min(this.history.length, this.historyAt + (e.key === 'ArrowUp' ? -1 : 1)));
        input.value = this.history[this.historyAt] ?? '';
      } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && input.value === '') {
        // An empty console has no caret to move: the arrows step the timeline, as the lessons say.
        e.preventDefault();
        this.act(e.key === 'ArrowLeft' ? (e.shiftKey ? 'prevcmd' : 'back') : e.shiftKey ? 'nextcmd' : 'fwd');
      } else if (e.key === 'Escape') input.blur();
      e.stopPropagation();
    });

    player.subscribe(() => this.render());
    this.resize = new ResizeObserver(() => {
      // Measure here, where layout is fresh; render() only reads these numbers, so drawing a
      // step never forces a layout in the middle of its DOM writes.
      this.measure();
      this.render(true);
    });
    this.resize.observe(root);

    // A shared session replays its lines; a malformed link starts empty; else the lesson's start.
    let start: string[];
    if (session) start = session.lines;
    else if (linkError !== undefined) start = [];
    else {
      start = this.dataset.commands ? (JSON.parse(this.dataset.commands) as string[]) : [];
      if (this.dataset.scenario) start = [...start, `run ${this.dataset.scenario}`];
    }
    const out = this.q('.wb-out');
    appendOutput(
      out,
      rec.commands.flatMap((c) => c.output),
    );
    let focus: number | undefined;
    for (const line of start) {
      this.lines.push(cleanLine(line));
      const made = rec.run(line);
      for (const c of made) {
        if (c.clear) out.replaceChildren();
        else appendOutput(out, c.output);
      }
      if (made[0]?.scenario) focus = this.noteScenario(made);
    }
    if (linkError !== undefined) {
      const msg = this.q('.wb-linkmsg');
      msg.textContent = `This link could not be opened: ${linkError}. The workbench starts empty instead.`;
      msg.hidden = false;
      this.dataset.linkError = linkError;
    }
    this.q('.wb-copylink').addEventListener('click', () => void this.copyLink());
    this.links.wire(root);
    player.seek(session ? session.step : (focus ?? rec.steps.length - 1));
    this.dataset.ready = 'true';
  }

  /**
   * A scenario just recorded (`made`, its records): offers "play from the start", and returns
   * the step the lesson talks about (the start of its focus command; default its last command).
   */
  private noteScenario(made: readonly { index: number; scenario?: string; firstStep: number }[]): number {
    const rec = this.rec!;
    const first = made[0]!;
    const sc = rec.adapter.scenarios.find((s) => s.name === first.scenario);
    this.scenarioStart = first.firstStep;
    this.q('.wb-fromstart').hidden = false;
    // The scenario's records: a reset, then one per line of the scenario.
    const own = rec.commands.slice(first.index + 1, first.index + made.length);
    const fe = sc?.focusEvent;
    const hit = (e: (typeof rec.steps)[number]['event']): boolean => (typeof fe === 'function' ? fe(e) : e.type === fe);
    const byEvent = fe ? own.findIndex((c) => rec.steps.slice(c.firstStep, c.endStep).some((st) => hit(st.event))) : -1;
    if (byEvent >= 0) {
      // Open at the start of the operation that caused the event: a fill is one command of
      // many puts, and the reader wants the put that splits, flushes or compacts.
      const c = own[byEvent]!;
      let at = c.firstStep;
      for (let i = c.firstStep; i < c.endStep; i++) {
        const e = rec.steps[i]!.event;
        if (e.type === 'op' && e.phase === 'begin') at = i;
        if (hit(e)) return at;
      }
      return c.firstStep;
    }
    const want = Math.min(own.length - 1, sc?.focus ?? own.length - 1);
    // The focus command, or the first one after it that did something on the timeline.
    const focus = own.slice(Math.max(0, want)).find((c) => c.endStep > c.firstStep);
    return focus ? focus.firstStep : first.firstStep;
  }

  /** Runs a console line: records it with the real engine, prints, and shows its steps. */
  runLine(line: string): void {
    const rec = this.rec!;
    if (line.trim()) {
      this.history.push(line.trim());
      this.historyAt = this.history.length;
      this.lines.push(cleanLine(line));
      this.share.schedule(() => (this.rec?.steps.length ?? 1) - 1);
    }
    const from = rec.steps.length;
    const made = rec.run(line);
    const out = this.q('.wb-out');
    for (const c of made) {
      if (c.clear) out.replaceChildren();
      else appendOutput(out, c.output);
    }
    if (made[0]?.scenario) {
      // The whole scenario is recorded already: open at the step the lesson talks about, and play that command.
      const at = this.noteScenario(made);
      this.player!.playFrom(at);
      return;
    }
    if (rec.steps.length > from) this.player!.playFrom(from);
    else this.render();
  }

  /** A timeline button or key. */
  private act(what: string): void {
    const p = this.player!;
    const rec = this.rec!;
    const i = p.index;
    switch (what) {
      case 'play':
        p.toggle();
        return;
      case 'back':
        p.step(-1);
        return;
      case 'fwd':
        p.step(1);
        return;
      case 'first':
        p.pause();
        p.seek(0);
        return;
      case 'last':
        p.pause();
        p.seek(rec.steps.length - 1);
        return;
      case 'fromstart':
        if (this.scenarioStart !== undefined) p.playFrom(this.scenarioStart);
        return;
      case 'prevcmd': {
        // To the start of this command, or of the one before when already there.
        p.pause();
        const cmds = rec.commands.filter((c) => c.endStep > c.firstStep);
        const cur = cmds.findIndex((c) => c.firstStep <= i && i < c.endStep);
        const target = cmds[cur]!.firstStep === i ? cmds[Math.max(0, cur - 1)]! : cmds[cur]!;
        p.seek(target.firstStep);
        return;
      }
      case 'nextcmd': {
        p.pause();
        const next = rec.commands.find((c) => c.firstStep > i && c.endStep > c.firstStep);
        p.seek(next ? next.firstStep : rec.steps.length - 1);
        return;
      }
    }
  }

  /** Keyboard shortcuts on the widget (not while typing in the console). */
  private onKey(e: KeyboardEvent): void {
    if ((e.target as HTMLElement).closest('input, select, textarea')) return;
    const map: Record<string, string> = {
      ' ': 'play',
      ArrowLeft: e.shiftKey ? 'prevcmd' : 'back',
      ArrowRight: e.shiftKey ? 'nextcmd' : 'fwd',
      Home: 'first',
      End: 'last',
    };
    const act = map[e.key];
    if (!act) return;
    e.preventDefault();
    this.act(act);
  }

  /** Redraws every pane for the player's step. */
  private render(resized = false): void {
    const rec = this.rec;
    const p = this.player;
    if (!rec || !p || rec.steps.length === 0) return;
    const f = frameAt(rec, p.index);
    this.current = f;
    stopMotion(this);
    const ms = resized ? 0 : duration(p.playing ? p.interval : 300);
    const ad = rec.adapter;
    if (!this.widths.has('.wb-mem svg')) this.measure();
    const width = (sel: string): number => this.widths.get(sel) ?? 300;
    // A phone-width widget lists fewer entries (the rest are counted), so the panes below stay in reach.
    renderMemory(
      this.q<SVGSVGElement>('.wb-mem svg'),
      width('.wb-mem svg'),
      f.memory,
      f.state,
      f.focusKey,
      ms,
      (this.widths.get('host') ?? 1000) < 600 ? 16 : 64,
      f.picture.opening,
    );
    // The files and hex panes are the costliest to draw, and most steps change neither: skip
    // them when what they show is the same as last time.
    const files = filesModel(f, ad);
    const filesWidth = width('.wb-files svg');
    const filesKey = `${filesWidth}|${files
      .map((x) =>
        [
          x.name,
          x.size,
          idOf(x.fields),
          JSON.stringify([x.unsynced, x.entryDurable, x.touched, x.target]),
          x.records
            .filter((r) => !r.live)
            .map((r) => r.record)
            .join(','),
        ].join('|'),
      )
      .join('/')}`;
    if (resized || filesKey !== this.drawn.files) {
      renderFiles(this.q<SVGSVGElement>('.wb-files svg'), filesWidth, files, ms);
      renderLegend(this.q('.wb-kinds'), files);
      this.drawn.files = filesKey;
    }
    const draw = ad.structure && structureRenderer(ad.engine);
    if (ad.structure && draw) {
      const svgs = {
        head: this.q<SVGSVGElement>('.wb-struct svg.wb-svg-head'),
        main: this.q<SVGSVGElement>('.wb-struct svg.wb-svg-main'),
        foot: this.q<SVGSVGElement>('.wb-struct svg.wb-svg-foot'),
      };
      draw(svgs, width('.wb-struct svg'), ad.structure.model(f), ms);
      this.panHint();
    }
    const perRow = (this.widths.get('.wb-hexbox') ?? 0) >= 470 ? 16 : 8;
    // A selection belongs to the step it was made at; another step shows what that step touched.
    if (this.links.selection && this.links.selection.step !== f.step) this.links.clear();
    const sel = this.links.selection?.range;
    const damaged = f.event.type === 'workbench' && f.event.damage !== undefined;
    const hexKey = `${perRow}|${sel ? `sel|${sel.file}|${sel.offset}|${sel.length}` : damaged ? `damage|${f.step}` : f.touch ? `${f.touch.step}|${f.touch.step === f.step}` : 'none'}`;
    if (resized || hexKey !== this.drawn.hex) {
      const box = this.q('.wb-hexbox');
      // A `corrupt` step shows the damaged byte among its neighbours (the step read or wrote nothing).
      const damage = f.event.type === 'workbench' ? f.event.damage : undefined;
      renderHex(
        box,
        sel
          ? selectionHex(ad, f.disk, sel, perRow)
          : damage
            ? damageHex(f, ad, damage, perRow)
            : hexModel(f, ad, perRow),
      );
      box.classList.toggle('selecting', !!sel);
      this.drawn.hex = hexKey;
    }
    renderEvents(this.q('.wb-evbox'), `› ${f.command.text}`, eventLines(rec, f), f.step, (s) => {
      p.pause();
      p.seek(s);
    });
    renderCounters(this.q('.wb-counters'), f.counters, f.memory?.notes ?? []);
    // Timeline and caption.
    const scrub = this.q<HTMLInputElement>('.wb-scrub');
    scrub.max = String(rec.steps.length - 1);
    scrub.value = String(f.step);
    this.q('.wb-pos').textContent = `step ${f.step + 1} / ${rec.steps.length}`;
    const play = this.q<HTMLButtonElement>('.wb-timeline .play');
    play.innerHTML = p.playing ? PAUSE_ICON : PLAY_ICON;
    play.setAttribute('aria-label', p.playing ? 'Pause' : 'Play');
    this.q('.wb-caption').textContent = `${f.command.text} — ${describeEvent(f.event, ad)}`;
    this.dataset.step = String(f.step);
    this.dataset.steps = String(rec.steps.length);
    this.dataset.state = f.state;
    this.dataset.playing = String(p.playing);
  }

  /**
   * When the structure picture is wider than its pane: says so, and offers to zoom it out to
   * fit (full labels, smaller) or to keep it at its size and scroll it sideways (the default),
   * keeping what the step is about in view.
   */
  private panHint(): void {
    const box = this.querySelector<HTMLElement>('.wb-structbox');
    const hint = this.querySelector<HTMLElement>('.wb-pan-hint');
    const svg = box?.querySelector('svg');
    if (!box || !hint || !svg) return;
    const drawn = Number(svg.getAttribute('data-width') ?? 0);
    const pane = this.widths.get('.wb-struct svg') ?? 0;
    const wide = drawn > pane + 2;
    hint.hidden = !wide;
    if (!wide) return;
    if (this.fitStructure) svg.style.width = '100%';
    if (hint.dataset.mode !== String(this.fitStructure)) {
      hint.dataset.mode = String(this.fitStructure);
      hint.replaceChildren(
        this.fitStructure
          ? `Zoomed out to fit the pane (the picture is ${drawn} px wide). `
          : `↔ The picture is ${drawn} px wide: scroll it sideways, or `,
        Object.assign(document.createElement('button'), {
          type: 'button',
          className: 'wb-fit',
          textContent: this.fitStructure ? 'show it at full size' : 'zoom out to fit',
          onclick: () => {
            this.fitStructure = !this.fitStructure;
            delete hint.dataset.mode;
            this.render(true);
          },
        }),
      );
    }
    if (this.fitStructure) return;
    // Keep what the step is about in view: the first marked page or table, else the root.
    const marked = box.querySelector<SVGGraphicsElement>(
      'g.page[class*="m-"], g.sst.new, g.sst.found, g.sst.read, g.sst.input',
    );
    const pages = [...box.querySelectorAll<SVGGraphicsElement>('g.page')];
    const at = (g: SVGGraphicsElement): { x: number; y: number } => {
      const m = g.transform.baseVal.consolidate()?.matrix;
      return { x: m?.e ?? 0, y: m?.f ?? 0 };
    };
    const root = pages.reduce<SVGGraphicsElement | undefined>(
      (best, g) => (!best || at(g).y < at(best).y ? g : best),
      undefined,
    );
    const anchor = marked ?? root ?? box.querySelector<SVGGraphicsElement>('g.sst');
    if (anchor) {
      const x = at(anchor).x;
      if (x < box.scrollLeft || x > box.scrollLeft + box.clientWidth - 140)
        box.scrollLeft = Math.max(0, x - box.clientWidth / 2 + 70);
    }
  }

  /** Selects a diagram element's bytes (for tests and the link controller). */
  select(t: DiagramTarget, el?: Element): LinkedRange | undefined {
    return this.links.select(t, el);
  }

  /** The link to this session at this step: sets the URL's hash and copies the address. */
  async copyLink(): Promise<string> {
    return this.share.copy(this.q('.wb-share-status'));
  }

  /** What a link to this widget records now. */
  session(): Session {
    return { engine: this.rec!.engine, options: this.options, lines: this.lines, step: this.player?.index ?? 0 };
  }

  /** Reads the widths the panes draw to (forces a layout: call it only when sizes change). */
  private measure(): void {
    for (const sel of ['.wb-mem svg', '.wb-files svg']) {
      const el = this.querySelector(sel);
      if (el) this.widths.set(sel, Math.max(200, Math.floor(el.clientWidth - 2)));
    }
    // The structure picture may be wider than its pane (it scrolls): measure the pane, not the SVG.
    const box = this.querySelector('.wb-structbox');
    if (box) this.widths.set('.wb-struct svg', Math.max(200, Math.floor(box.clientWidth - 2)));
    this.widths.set('.wb-hexbox', this.querySelector('.wb-hexbox')?.clientWidth ?? 0);
    this.widths.set('host', this.clientWidth);
  }

  /** One element inside the widget. */
  private q<T extends Element = HTMLElement>(sel: string): T {
    const el = this.querySelector<T>(sel);
    if (!el) throw new Error(`workbench: missing ${sel}`);
    return el;
  }
}

/** Registers <kv-workbench> once. */
export function defineWorkbench(): void {
  if (!customElements.get('kv-workbench')) customElements.define('kv-workbench', KvWorkbench);
}
