/**
 * player.ts: the timeline: which step is shown, and playing through steps at a speed.
 * No DOM; the clock is injected so tests can drive it.
 *
 * Invariant: 0 <= index < length whenever length > 0. Playing stops by itself at the end.
 */

/** A clock: schedule a callback, cancel it. */
export interface Clock {
  set(f: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** The browser's (or Node's) timers. */
export const realClock: Clock = {
  set: (f, ms) => setTimeout(f, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Playback speeds in steps per second. */
export const SPEEDS = [1, 2, 4, 8, 16, 32, 64, 128, 256] as const;

/** What a listener is told on every change. */
export interface PlayerState {
  index: number;
  length: number;
  playing: boolean;
  speed: number;
}

/** The timeline of a recording with `length()` steps. */
export class Player {
  private i = 0;
  private playingNow = false;
  private handle: unknown;
  private listeners: ((s: PlayerState) => void)[] = [];
  speed = 8;

  constructor(
    private readonly length: () => number,
    private readonly clock: Clock = realClock,
  ) {}

  /** The step shown. */
  get index(): number {
    return this.i;
  }

  get playing(): boolean {
    return this.playingNow;
  }

  /** The state, for listeners and tests. */
  get state(): PlayerState {
    return { index: this.i, length: this.length(), playing: this.playingNow, speed: this.speed };
  }

  /** Calls `f` on every change; returns an unsubscribe function. */
  subscribe(f: (s: PlayerState) => void): () => void {
    this.listeners.push(f);
    return () => {
      this.listeners = this.listeners.filter((g) => g !== f);
    };
  }

  /** Shows step `i` (clamped). Does not stop playing: a scrub while playing plays on from there. */
  seek(i: number): void {
    const n = this.length();
    const next = n === 0 ? 0 : Math.max(0, Math.min(n - 1, Math.round(i)));
    if (next === this.i) return this.emit();
    this.i = next;
    this.emit();
  }

  /** Moves `d` steps (negative: back) and pauses, as a step button should. */
  step(d: number): void {
    this.pause();
    this.seek(this.i + d);
  }

  /** Plays from the current step to the end. At the end, starts over from 0. */
  play(): void {
    if (this.playingNow) return;
    if (this.i >= this.length() - 1) this.i = 0;
    this.playingNow = true;
    this.emit();
    this.schedule();
  }

  /** Plays from step `i` (new steps just recorded). */
  playFrom(i: number): void {
    this.pause();
    this.seek(i);
    if (this.i < this.length() - 1) this.play();
  }

  /** Stops playing. */
  pause(): void {
    if (!this.playingNow) return;
    this.playingNow = false;
    if (this.handle !== undefined) this.clock.clear(this.handle);
    this.handle = undefined;
    this.emit();
  }

  /** Play or pause. */
  toggle(): void {
    if (this.playingNow) this.pause();
    else this.play();
  }

  /** Sets the speed in steps per second (1 to 1000). */
  setSpeed(s: number): void {
    this.speed = Math.max(1, Math.min(1000, s));
    this.emit();
  }

  /** The time between steps at the current speed, in ms. */
  get interval(): number {
    return 1000 / this.speed;
  }

  /** Advances one step on the clock, stopping at the end. */
  private tick = (): void => {
    this.handle = undefined;
    if (!this.playingNow) return;
    if (this.i >= this.length() - 1) {
      this.playingNow = false;
      this.emit();
      return;
    }
    this.i++;
    if (this.i >= this.length() - 1) this.playingNow = false;
    this.emit();
    if (this.playingNow) this.schedule();
  };

  private schedule(): void {
    this.handle = this.clock.set(this.tick, this.interval);
  }

  private emit(): void {
    const s = this.state;
    for (const f of this.listeners) f(s);
  }
}
