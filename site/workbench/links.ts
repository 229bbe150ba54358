/**
 * links.ts: the workbench's linked diagrams and bytes, as a controller of the element: a click
 * on a record, page, table or in-memory entry selects its bytes in the hex view; pointing at a
 * byte names its field and lights up every diagram element that stands for its structure.
 * The logic is in linked.ts and linking.ts; this file only wires it to the DOM.
 */
import { linkTargetOf, linkedSelectors } from './linking.js';
import { ownerAt, targetRange, type DiagramTarget, type LinkedRange } from './linked.js';
import type { Frame } from './frame.js';
import type { Recorder } from './recorder.js';

/** What the controller needs from its element. */
export interface LinkHost extends HTMLElement {
  /** The frame on screen. */
  readonly frame: Frame | undefined;
  readonly recorder: Recorder | undefined;
  /** Stops playing (a selection holds the step). */
  pause(): void;
  /** Redraws the panes. */
  redraw(): void;
}

/** Selection and pointing for one workbench. */
export class LinkController {
  /** The byte range selected by clicking a diagram, and the step it was selected at. */
  selection: { range: LinkedRange; step: number } | undefined;

  constructor(private readonly host: LinkHost) {}

  /** Listens for clicks on diagrams and pointing at bytes. */
  wire(root: HTMLElement): void {
    root.addEventListener('click', (e) => {
      const el = (e.target as Element).closest?.(
        '.wb-mem g.entry, .wb-files g.rec, .wb-struct g.page, .wb-struct g.sst, .wb-struct g.sk',
      );
      const { frame, recorder } = this.host;
      if (!el || !frame || !recorder) return;
      const t = linkTargetOf(el, recorder.adapter, frame.disk);
      if (t) this.select(t, el);
    });
    const box = this.host.querySelector<HTMLElement>('.wb-hexbox')!;
    box.addEventListener('mouseover', (e) => {
      const b = (e.target as HTMLElement).closest?.('span.b.v') as HTMLElement | null;
      if (b) this.pointAt(Number(b.dataset.offset));
    });
    box.addEventListener('mouseleave', () => this.pointAt(undefined));
    // A click on a byte puts `corrupt <file> <offset>` in the console: Enter damages that byte.
    box.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest?.('span.b.v') as HTMLElement | null;
      const file = box.dataset.file;
      if (b && file) this.proposeCorrupt(file, Number(b.dataset.offset));
    });
  }

  /** Selects a diagram element's bytes: the hex view shows them outlined and scrolls to them. */
  select(t: DiagramTarget, el?: Element): LinkedRange | undefined {
    const { frame: f, recorder: rec } = this.host;
    if (!f || !rec) return undefined;
    this.clear();
    const range = targetRange(rec.adapter, f.disk, t);
    if (!range) {
      this.host
        .querySelector('.wb-hex-field')
        ?.replaceChildren('That is not on disk at this step, so it has no bytes to show.');
      return undefined;
    }
    this.host.pause();
    this.selection = { range, step: f.step };
    el?.classList.add('linked');
    this.host.dataset.selected = `${range.file}@${range.offset}+${range.length}`;
    this.host.redraw();
    const first = this.host.querySelector('.wb-hexbox span.b.sel');
    first?.scrollIntoView({
      block: 'nearest',
      inline: 'nearest',
      behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth',
    });
    return range;
  }

  /** Puts `corrupt <file> <offset>` in the console, focused, and says what Enter will do. */
  proposeCorrupt(file: string, offset: number): void {
    const input = this.host.querySelector<HTMLInputElement>('.wb-input');
    if (!input || Number.isNaN(offset)) return;
    input.value = `corrupt ${file} ${offset}`;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    this.host
      .querySelector('.wb-hex-field')
      ?.replaceChildren(
        `The console reads "corrupt ${file} ${offset}": press Enter to flip that byte's lowest bit on disk, or type a hex value (e.g. " ff") first.`,
      );
  }

  /** Forgets the selection (the hex view goes back to what the step touched). */
  clear(): void {
    this.selection = undefined;
    delete this.host.dataset.selected;
    this.host.querySelectorAll('.linked').forEach((x) => x.classList.remove('linked'));
  }

  /** Names the field of the byte at `offset` in the hex view and lights up its structure (undefined: stop). */
  pointAt(offset: number | undefined): void {
    this.host.querySelectorAll('.linked-hl').forEach((x) => x.classList.remove('linked-hl'));
    const { frame: f, recorder: rec } = this.host;
    const line = this.host.querySelector('.wb-hex-field');
    if (offset === undefined || !f || !rec || Number.isNaN(offset)) {
      delete this.host.dataset.hovered;
      return;
    }
    const sel = this.selection?.range;
    const file = sel ? sel.file : f.touch?.file;
    const bytes = sel ? f.disk.files.find((x) => x.name === sel.file)?.bytes : f.touch?.fileBytes;
    if (!file || !bytes) return;
    const owner = ownerAt(rec.adapter, file, bytes, offset);
    line?.replaceChildren(owner.text);
    this.host.dataset.hovered = owner.text;
    // The bytes of the same structure, then every diagram element that stands for it.
    if (owner.recordRange) {
      const { offset: a, length: n } = owner.recordRange;
      this.host.querySelectorAll<HTMLElement>('.wb-hexbox span.b.v').forEach((b) => {
        const o = Number(b.dataset.offset);
        if (o >= a && o < a + n) b.classList.add('linked-hl');
      });
    }
    for (const el of linkedSelectors(this.host, rec.adapter, owner, f.memory?.rows ?? []))
      el.classList.add('linked-hl');
  }
}
