import { describe, it, expect } from 'vitest';
import { useColour, colourPaint, plainPaint, stripColour } from '../../cli/colour.js';

describe('when colour is used', () => {
  it('is on for a terminal and off for a pipe or a file', () => {
    expect(useColour(true, {})).toBe(true);
    expect(useColour(false, {})).toBe(false);
    expect(useColour(undefined, {})).toBe(false);
  });

  it('is off when NO_COLOR is set to anything but the empty string', () => {
    expect(useColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColour(true, { NO_COLOR: '' })).toBe(true);
  });

  it('is on for FORCE_COLOR, and the flags override everything', () => {
    expect(useColour(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColour(false, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColour(true, {}, false)).toBe(false);
    expect(useColour(false, { NO_COLOR: '1' }, true)).toBe(true);
  });

  it('paints with ANSI codes that strip back to the text, or not at all', () => {
    expect(colourPaint('red', 'x')).toBe('\u001b[31mx\u001b[39m');
    expect(stripColour(colourPaint('bold', colourPaint('cyan', 'put')))).toBe('put');
    expect(plainPaint('red', 'x')).toBe('x');
  });
});
