/**
 * path.ts: '/'-joined paths without node:path, so the engines bundle for the browser.
 */

/** Joins path parts with '/', collapsing repeated slashes. */
export function join(...parts: string[]): string {
  const s = parts.filter((p) => p !== '').join('/');
  return s.includes('//') ? s.replace(/\/+/g, '/') : s;
}

/** A path normalize() leaves alone: '/' or parts with no empty, '.' or '..' part and no trailing slash. */
const NORMAL = /^(?:\/|\/?(?:(?!\.\.?(?:\/|$))[^/]+)(?:\/(?!\.\.?(?:\/|$))[^/]+)*)$/;

/** The last part of a path. */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i < 0 ? trimmed : trimmed.slice(i + 1);
}

/** Everything before the last part of a path ('.' for a bare name). */
export function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : trimmed.slice(0, i);
}

/** A path with '.' parts and duplicate or trailing slashes removed (no '..' resolution past root). */
export function normalize(path: string): string {
  // Most paths an engine builds are already normal: say so without splitting them.
  if (NORMAL.test(path)) return path;
  const abs = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  const s = out.join('/');
  return abs ? '/' + s : s === '' ? '.' : s;
}
