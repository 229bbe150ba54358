import { describe, expect, it } from 'vitest';
import { Player, type Clock } from '../../site/workbench/player.js';

/** A clock the test advances by hand. */
function manualClock(): Clock & { fire(): void; pending(): number } {
  let queue: (() => void)[] = [];
  return {
    set: (f) => (queue.push(f), queue.length),
    clear: () => {
      queue = [];
    },
    fire() {
      const q = queue;
      queue = [];
      for (const f of q) f();
    },
    pending: () => queue.length,
  };
}

describe('the timeline player', () => {
  it('steps forward and back within the recording, clamped at both ends', () => {
    const p = new Player(() => 5, manualClock());
    p.step(1);
    p.step(1);
    expect(p.index).toBe(2);
    p.step(-1);
    expect(p.index).toBe(1);
    p.step(-10);
    expect(p.index).toBe(0);
    p.seek(99);
    expect(p.index).toBe(4);
  });

  it('plays one step per tick and stops by itself at the end', () => {
    const clock = manualClock();
    const p = new Player(() => 4, clock);
    const seen: number[] = [];
    p.subscribe((s) => seen.push(s.index));
    p.play();
    while (clock.pending()) clock.fire();
    expect(p.index).toBe(3);
    expect(p.playing).toBe(false);
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('starts over from the first step when play is pressed at the end', () => {
    const clock = manualClock();
    const p = new Player(() => 3, clock);
    p.seek(2);
    p.play();
    expect(p.index).toBe(0);
    expect(p.playing).toBe(true);
  });

  it('pauses when stepped by hand, and plays new steps from where they begin', () => {
    const clock = manualClock();
    let n = 3;
    const p = new Player(() => n, clock);
    p.play();
    p.step(1);
    expect(p.playing).toBe(false);
    n = 10;
    p.playFrom(3);
    expect(p.index).toBe(3);
    expect(p.playing).toBe(true);
    clock.fire();
    expect(p.index).toBe(4);
  });

  it('ticks at the chosen speed', () => {
    const p = new Player(() => 3, manualClock());
    p.setSpeed(4);
    expect(p.interval).toBe(250);
    p.setSpeed(0);
    expect(p.speed).toBe(1);
  });
});
