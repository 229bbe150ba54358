import { describe, it, expect } from 'vitest';
import { annotatedHex, plainHex, hexOffset } from '../../cli/hexdump.js';

const bytes = Uint8Array.from({ length: 40 }, (_, i) => i);

describe('the annotated hexdump', () => {
  it('prints one line per field, with its offset and label', () => {
    const rows = annotatedHex(bytes, [
      { offset: 0, length: 2, label: 'version 1' },
      { offset: 2, length: 3, label: 'count' },
    ]);
    expect(rows).toEqual([
      '  00000000  00 01                                            version 1',
      '  00000002  02 03 04                                         count',
    ]);
  });

  it('wraps a long field over rows, labelling the first', () => {
    const rows = annotatedHex(bytes, [{ offset: 0, length: 20, label: 'key' }]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^ {2}00000000 {2}00 01 .* 0f {2}key$/);
    expect(rows[1]).toMatch(/^ {2}00000010 {2}10 11 12 13$/);
  });

  it('cuts a field longer than the limit and says how much it left out', () => {
    const rows = annotatedHex(bytes, [{ offset: 0, length: 40, label: 'value' }], { maxFieldBytes: 16 });
    expect(rows.at(-1)).toContain('… 24 more bytes');
  });

  it('accounts for bytes no field covers', () => {
    const rows = annotatedHex(bytes, [{ offset: 4, length: 2, label: 'b' }], { start: 0, end: 8 });
    expect(rows.map((r) => r.slice(2, 10))).toEqual(['00000000', '00000004', '00000006']);
    expect(rows[0]).toContain('(not annotated)');
    expect(rows[2]).toContain('(not annotated)');
  });

  it('shows an empty field as zero bytes', () => {
    expect(annotatedHex(bytes, [{ offset: 3, length: 0, label: 'value' }])[0]).toContain('value (0 bytes)');
  });

  it('says when a field runs past the end of the file', () => {
    expect(annotatedHex(bytes, [{ offset: 38, length: 6, label: 'crc' }]).join('\n')).toContain('4 bytes missing');
  });
});

describe('the plain hexdump', () => {
  it('prints 16 bytes a row with an ASCII column', () => {
    const text = new TextEncoder().encode('hello, world!\n');
    expect(plainHex(text)).toEqual(['  00000000  68 65 6c 6c 6f 2c 20 77 6f 72 6c 64 21 0a        |hello, world!.|']);
  });

  it('numbers offsets in 8 hex digits', () => {
    expect(hexOffset(255)).toBe('000000ff');
  });
});
