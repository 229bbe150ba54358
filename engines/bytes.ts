/**
 * bytes.ts: byte-string helpers every engine shares: UTF-8, bytewise order, hex, printing.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes a string as UTF-8 bytes. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8 bytes; throws on invalid sequences. */
export function fromUtf8(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Compares two byte strings as memcmp does, shorter-is-less on a common prefix. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Compares `a[aStart..aEnd)` with all of `b` as compareBytes does, in place (no view is made:
 * the point lookup's inner loop calls this).
 */
export function compareBytesAt(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array): number {
  const an = aEnd - aStart;
  const n = an < b.length ? an : b.length;
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return an === b.length ? 0 : an < b.length ? -1 : 1;
}

/**
 * The bytes as a "binary string", one UTF-16 code unit (0..255) per byte: exact, reversible,
 * and a good Map key (a hash lookup instead of a search).
 */
export function binaryString(b: Uint8Array): string {
  if (b.length <= 64) {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** True when both byte strings hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Concatenates byte strings into a new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Lowercase hex of the bytes, no separators. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!]!;
  return s;
}

/** The two hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Parses lowercase or uppercase hex (even length) into bytes. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new Error(`not hex: ${hex.slice(0, 40)}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * A readable form of a key or value for traces, diagrams and the CLI: the text itself when
 * the bytes are printable UTF-8, else `0x` and hex. Long inputs are cut with an ellipsis.
 */
export function display(b: Uint8Array, max = 48): string {
  let text: string | undefined;
  try {
    text = fromUtf8(b);
  } catch {
    text = undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (text !== undefined && !/[\u0000-\u001f\u007f]/.test(text)) {
    return text.length > max ? text.slice(0, max) + '…' : text;
  }
  const hex = toHex(b.length > max / 2 ? b.subarray(0, max / 2) : b);
  return '0x' + hex + (b.length > max / 2 ? '…' : '');
}

/** A DataView over exactly the bytes of `b` (a view may start inside a larger buffer). */
export function dataView(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A copy of the bytes in a buffer of its own (callers may then mutate their array). */
export function copyBytes(b: Uint8Array): Uint8Array {
  return b.slice();
}
