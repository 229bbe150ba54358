/**
 * scale.ts: which scale a chart uses and over what domain. A chart whose positive values
 * span more than LOG_SPAN (a factor of 30) gets a log scale with a domain snapped to powers
 * of ten, so every bar is visible and the axis is labelled in decades; otherwise a linear
 * scale from zero. Zero and missing values never enter a log domain (the renderer marks
 * them at the axis instead of drawing a bar).
 */

/** Positive values spanning more than this factor get a log scale. */
export const LOG_SPAN = 30;

/** A chart's value axis. */
export interface ScaleSpec {
  type: 'linear' | 'log';
  /** [min, max] of the axis; for log both are powers of ten and min > 0. */
  domain: [number, number];
}

/** Picks the scale for these values (null, NaN and non-finite ones are ignored). */
export function scaleFor(values: (number | null | undefined)[], force?: 'linear' | 'log'): ScaleSpec {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const positive = finite.filter((v) => v > 0);
  if (positive.length === 0) return { type: 'linear', domain: [0, 1] };
  const min = Math.min(...positive);
  const max = Math.max(...positive);
  const type = force ?? (max / min > LOG_SPAN ? 'log' : 'linear');
  if (type === 'log') {
    // Snap outward to decades; a single decade still gets a width of one.
    const lo = Math.floor(Math.log10(min));
    let hi = Math.ceil(Math.log10(max));
    if (hi === lo) hi = lo + 1;
    return { type, domain: [10 ** lo, 10 ** hi] };
  }
  return { type, domain: [0, max * 1.05] };
}

/** The tick values of a log domain: one per decade. */
export function decadeTicks(domain: [number, number]): number[] {
  const lo = Math.round(Math.log10(domain[0]));
  const hi = Math.round(Math.log10(domain[1]));
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) out.push(10 ** e);
  return out;
}

/**
 * At most `max` of `ticks`, evenly spaced and always keeping the last (the top decade), so
 * tick labels do not collide on a narrow chart.
 */
export function thinTicks(ticks: number[], max: number): number[] {
  if (ticks.length <= max || max < 1) return ticks;
  const step = Math.ceil(ticks.length / max);
  return ticks.filter((_, i) => (ticks.length - 1 - i) % step === 0);
}

/** The binary unit (1, KiB, MiB, GiB) that suits an axis of bytes up to `max`. */
export function byteUnit(max: number): { size: number; name: string } {
  if (max >= 1024 ** 3) return { size: 1024 ** 3, name: 'GiB' };
  if (max >= 1024 ** 2) return { size: 1024 ** 2, name: 'MiB' };
  if (max >= 1024) return { size: 1024, name: 'KiB' };
  return { size: 1, name: 'B' };
}
