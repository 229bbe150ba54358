/**
 * share-link.ts: the workbench's shareable link, as a controller of the element: the session
 * (engine, options, console lines, step) as a code in the address bar's hash, kept up to date
 * after each command, and copied by "copy link". share.ts encodes and decodes; this file only
 * talks to the address bar and the clipboard.
 */
import { encodeSession, withEntry, type Session } from './share.js';

/** What the controller needs from its element. */
export interface ShareHost extends HTMLElement {
  /** The session a link records now. */
  session(): Session;
  /** This widget's key in the hash. */
  readonly shareKey: string;
}

/** The address bar and clipboard for one workbench. */
export class ShareController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every address-bar update, so a slower, older one never overwrites a newer one. */
  private generation = 0;

  constructor(private readonly host: ShareHost) {}

  /** The link to this session at this step: sets the URL's hash and copies the address. */
  async copy(status: HTMLElement): Promise<string> {
    // A pending automatic update (to the last step) must not overwrite the link copied here.
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const generation = ++this.generation;
    const code = await encodeSession(this.host.session());
    if (generation !== this.generation) return location.href;
    history.replaceState(
      history.state,
      '',
      withEntry(location.hash, this.host.shareKey, code) || location.pathname + location.search,
    );
    const url = location.href;
    this.host.dataset.link = url;
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'link copied';
    } catch {
      status.textContent = 'link in the address bar';
    }
    return url;
  }

  /** Keeps the address bar's link up to date after a command (a moment later, so typing is not slowed). */
  schedule(lastStep: () => number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const generation = ++this.generation;
      void encodeSession({ ...this.host.session(), step: lastStep() }).then((code) => {
        // Skip if a copy link (or a later update) ran while this one was encoding.
        if (generation === this.generation)
          history.replaceState(history.state, '', withEntry(location.hash, this.host.shareKey, code));
      });
    }, 400);
  }
}
