/**
 * colour.ts: ANSI colour for terminal output, and the rule for when to use it.
 *
 * Colour is on only when the output is a terminal and NO_COLOR is unset or empty
 * (https://no-color.org). FORCE_COLOR (non-empty, not "0") turns it on anyway, and the
 * --color / --no-color flags override both. A Paint with colour off returns text unchanged,
 * so printers call it unconditionally.
 */

/** The styles the printers use. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray';

/** ANSI SGR codes for each style: [on, off]. */
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
};

/** Wraps text in a style (or returns it as is when colour is off). */
export type Paint = (style: Style, text: string) => string;

/** A Paint that adds ANSI codes. */
export const colourPaint: Paint = (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`;

/** A Paint that leaves text alone. */
export const plainPaint: Paint = (_style, text) => text;

/** Returns the paint for `enabled`. */
export function paintFor(enabled: boolean): Paint {
  return enabled ? colourPaint : plainPaint;
}

/**
 * Decides whether to colour: `flag` (from --color / --no-color) wins; else NO_COLOR off,
 * FORCE_COLOR on; else colour exactly when the stream is a terminal.
 */
export function useColour(
  isTTY: boolean | undefined,
  env: Record<string, string | undefined>,
  flag?: boolean,
): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return isTTY === true;
}

/** Removes ANSI colour codes (for measuring widths and for tests). */
export function stripColour(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
