import { describe, it, expect } from 'vitest';
import { splitWords, showBytes, argWord, bareWord } from '../../cli/literal.js';
import { UsageError } from '../../cli/status.js';
import { toHex, utf8 } from '../../engines/bytes.js';

const texts = (line: string) => splitWords(line).map((w) => w.text);
const hexes = (line: string) => splitWords(line).map((w) => toHex(w.bytes));

describe('words typed at the prompt', () => {
  it('splits at any run of spaces', () => {
    expect(texts('  put   apple\tred ')).toEqual(['put', 'apple', 'red']);
    expect(texts('')).toEqual([]);
  });

  it('keeps spaces inside double and single quotes', () => {
    expect(texts('put k "two words"')).toEqual(['put', 'k', 'two words']);
    expect(texts("put k 'it is \\n raw'")).toEqual(['put', 'k', 'it is \\n raw']);
  });

  it('joins bare and quoted pieces that touch into one word', () => {
    expect(texts('a"b c"d')).toEqual(['ab cd']);
  });

  it('reads escapes in double quotes, with \\xNN as one raw byte', () => {
    expect(hexes('"a\\nb"')).toEqual([toHex(utf8('a\nb'))]);
    expect(hexes('"\\xff\\x00"')).toEqual(['ff00']);
    expect(hexes('"\\"\\\\"')).toEqual([toHex(utf8('"\\'))]);
  });

  it('reads a bare 0x word with an even number of hex digits as bytes', () => {
    expect(hexes('0x00ff 0XAB')).toEqual(['00ff', toHex(utf8('0XAB'))]);
    expect(bareWord('0xABcd').bytes).toEqual(Uint8Array.of(0xab, 0xcd));
  });

  it('reads 0x words that are not whole bytes as text', () => {
    expect(hexes('0x 0xf 0xzz')).toEqual([toHex(utf8('0x')), toHex(utf8('0xf')), toHex(utf8('0xzz'))]);
  });

  it('reads a quoted 0x word as text', () => {
    const [w] = splitWords('"0xff"');
    expect(w!.bytes).toEqual(utf8('0xff'));
    expect(w!.quoted).toBe(true);
  });

  it('keeps characters outside the basic plane whole', () => {
    expect(texts('"🍎 pomme"')).toEqual(['🍎 pomme']);
    expect(splitWords('"🍎"')[0]!.bytes).toEqual(utf8('🍎'));
  });

  it('names the column of an unterminated quote or a bad escape', () => {
    expect(() => splitWords('put k "open')).toThrow(UsageError);
    expect(() => splitWords('put k "open')).toThrow(/column 7/);
    expect(() => splitWords("put 'x")).toThrow(/column 5/);
    expect(() => splitWords('"\\q"')).toThrow(/bad escape/);
  });
});

describe('command-line arguments', () => {
  it('are bare words, except one wrapped in double quotes', () => {
    expect(argWord('two words').bytes).toEqual(utf8('two words'));
    expect(argWord('0x01').bytes).toEqual(Uint8Array.of(1));
    expect(argWord('"0x01"').bytes).toEqual(utf8('0x01'));
  });
});

describe('bytes shown back', () => {
  it('print printable UTF-8 as text', () => {
    expect(showBytes(utf8('hello world'))).toBe('hello world');
    expect(showBytes(utf8('pomme 🍎'))).toBe('pomme 🍎');
  });

  it('print other bytes as 0x hex', () => {
    expect(showBytes(Uint8Array.of(0, 255))).toBe('0x00ff');
    expect(showBytes(utf8('tab\there'))).toBe('0x' + toHex(utf8('tab\there')));
  });

  it('quote text that would read back as hex, and the empty string', () => {
    expect(showBytes(utf8('0xff'))).toBe('"0xff"');
    expect(showBytes(new Uint8Array(0))).toBe('""');
  });

  it('read back as the same bytes', () => {
    for (const b of [utf8('plain'), Uint8Array.of(0, 1, 2), utf8('0xabcd'), new Uint8Array(0), utf8('é')]) {
      const [w] = splitWords(showBytes(b));
      expect(toHex(w?.bytes ?? new Uint8Array(0))).toBe(toHex(b));
    }
  });
});
