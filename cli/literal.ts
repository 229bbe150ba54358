/**
 * literal.ts: how keys and values are typed at the `kv` prompt and on its command line,
 * and how bytes are shown back.
 *
 * A line is split into words at spaces. A word is text (stored as UTF-8) unless:
 *   - it is written `0x` followed by an even number of hex digits: those bytes
 *     (`0x00ff` is the two bytes 00 and ff);
 *   - it is quoted: "double quotes" allow spaces and the escapes \n \t \r \0 \\ \" \xNN
 *     (one raw byte), 'single quotes' take everything literally. A quoted word is always
 *     text, so "0xff" is the four characters 0, x, f, f.
 * On the command line the shell has already split the words; a word there that starts and
 * ends with a double quote is read as a quoted word, so '"0xff"' stores the text 0xff.
 *
 * Shown back, bytes that are printable UTF-8 print as text; other bytes print as 0x and hex,
 * which reads back as the same bytes. Text that would read back as hex is shown quoted.
 */
import { utf8, fromUtf8, toHex, fromHex, concatBytes } from '../engines/bytes.js';
import { UsageError } from './status.js';

/** One word of a command: its text, and the bytes it stands for as a key or value. */
export interface Word {
  text: string;
  bytes: Uint8Array;
  quoted: boolean;
}

/** True for `0x` followed by an even, non-zero number of hex digits. */
function isHexLiteral(s: string): boolean {
  return /^0x(?:[0-9a-fA-F]{2})+$/.test(s);
}

/** A word typed without quotes: hex bytes if it is a hex literal, else its UTF-8. */
export function bareWord(text: string): Word {
  return { text, bytes: isHexLiteral(text) ? fromHex(text.slice(2)) : utf8(text), quoted: false };
}

/** A command-line argument: a bare word, or a quoted word if it is wrapped in double quotes. */
export function argWord(arg: string): Word {
  if (arg.length >= 2 && arg.startsWith('"') && arg.endsWith('"')) {
    const words = splitWords(arg);
    if (words.length === 1) return words[0]!;
  }
  return bareWord(arg);
}

/**
 * Splits a line into words, honouring quotes and escapes. Throws UsageError for an
 * unterminated quote or a bad escape, naming the column.
 */
export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    // Skip the spaces between words.
    if (/\s/.test(line[i]!)) {
      i++;
      continue;
    }
    // Collect one word, which may join bare and quoted pieces: a"b c"d is one word.
    const parts: Uint8Array[] = [];
    let text = '';
    let quoted = false;
    let bare = '';
    const flushBare = (): void => {
      if (bare) {
        parts.push(utf8(bare));
        text += bare;
        bare = '';
      }
    };
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === "'") {
        // Single quotes: everything up to the next one, literally.
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new UsageError(`unterminated ' quote starting at column ${i + 1}`);
        flushBare();
        const s = line.slice(i + 1, end);
        parts.push(utf8(s));
        text += s;
        quoted = true;
        i = end + 1;
      } else if (c === '"') {
        // Double quotes: escapes allowed, \xNN is one raw byte.
        flushBare();
        quoted = true;
        const start = i;
        i++;
        let closed = false;
        while (i < line.length) {
          const d = line[i]!;
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\') {
            const e = line[i + 1];
            const simple: Record<string, string> = {
              n: '\n',
              t: '\t',
              r: '\r',
              '0': '\0',
              '\\': '\\',
              '"': '"',
              "'": "'",
            };
            if (e !== undefined && simple[e] !== undefined) {
              parts.push(utf8(simple[e]!));
              text += simple[e];
              i += 2;
            } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
              const byte = parseInt(line.slice(i + 2, i + 4), 16);
              parts.push(Uint8Array.of(byte));
              text += String.fromCharCode(byte);
              i += 4;
            } else {
              throw new UsageError(`bad escape \\${e ?? ''} at column ${i + 1}; use \\n \\t \\r \\0 \\\\ \\" or \\xNN`);
            }
          } else {
            // Take a whole code point so astral characters stay intact.
            const cp = line.codePointAt(i)!;
            const ch = String.fromCodePoint(cp);
            parts.push(utf8(ch));
            text += ch;
            i += ch.length;
          }
        }
        if (!closed) throw new UsageError(`unterminated " quote starting at column ${start + 1}`);
      } else {
        bare += c;
        i++;
      }
    }
    if (!quoted) {
      words.push(bareWord(bare));
    } else {
      flushBare();
      words.push({ text, bytes: concatBytes(parts), quoted: true });
    }
  }
  return words;
}

/** The bytes as text if they are printable UTF-8, else as 0x and hex. */
function printable(b: Uint8Array): string | undefined {
  let s: string;
  try {
    s = fromUtf8(b);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(s) ? undefined : s;
}

/**
 * Shows bytes in full, so that typing the output back gives the same bytes: printable UTF-8
 * as is, other bytes as 0x and hex, and text that would read as hex (or is empty) quoted.
 */
export function showBytes(b: Uint8Array): string {
  const s = printable(b);
  if (s === undefined) return '0x' + toHex(b);
  if (s === '' || isHexLiteral(s)) return JSON.stringify(s);
  return s;
}
