/**
 * motion.ts: how long d3 transitions last, honouring prefers-reduced-motion.
 */
import { interrupt, type Selection } from 'd3';

/**
 * Stops any transition running on `node`. Calling into d3-transition also keeps it in the
 * bundle: it is the module that adds selection.transition() and .interrupt().
 */
export function stopMotion(node: Element): void {
  interrupt(node);
}

/** True when the reader asked the system for less motion. */
export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** A transition length for a step shown every `interval` ms: 0 with reduced motion. */
export function duration(interval: number): number {
  if (reducedMotion()) return 0;
  return Math.max(0, Math.min(350, interval * 0.75));
}

/**
 * The selection itself when `ms` is 0 (attributes are set at once, exactly as written), else
 * a transition of that length. Either way, the caller chains .attr/.style/.remove on it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function animate<S extends Selection<any, any, any, any>>(sel: S, ms: number): S {
  sel.interrupt();
  return (ms > 0 ? sel.transition().duration(ms) : sel) as unknown as S;
}
