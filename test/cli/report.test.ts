import { describe, it, expect } from 'vitest';
import { humanBytes, renderStats, renderInspect, renderValue } from '../../cli/report.js';
import { plainPaint } from '../../cli/colour.js';
import type { StoreStats } from '../../engines/kv.js';

const stats: StoreStats = {
  engine: 'snapshot',
  bytesWritten: 300,
  bytesRead: 0,
  syncs: 2,
  userBytesWritten: 100,
  files: 1,
  diskBytes: 2048,
  liveKeys: 5,
  liveBytes: 1024,
  memoryBytes: 4096,
  engineStats: { saves: 1, unsaved: 0 },
};

describe('the stats report', () => {
  it('writes sizes in human units with the exact count', () => {
    expect(humanBytes(12)).toBe('12 B');
    expect(humanBytes(1536)).toBe('1.50 KiB (1536 B)');
    expect(humanBytes(3 * 1024 * 1024, false)).toBe('3.00 MiB');
  });

  it('shows every counter, the two amplifications, and the engine counters', () => {
    const text = renderStats(stats, '/db').join('\n');
    expect(text).toContain('snapshot store in /db');
    expect(text).toMatch(/live keys\s+5/);
    expect(text).toMatch(/write amplification\s+3\.00/);
    expect(text).toMatch(/space amplification\s+2\.00/);
    expect(text).toMatch(/saves\s+1/);
  });

  it('says n/a for a ratio over zero', () => {
    expect(renderStats({ ...stats, userBytesWritten: 0 }, '/db').join('\n')).toMatch(/write amplification\s+n\/a/);
  });
});

describe('the inspect report', () => {
  it('prints scalars as aligned name/value lines and lists of objects as tables', () => {
    const lines = renderInspect(
      {
        engine: 'x',
        keys: 2,
        files: [
          { name: 'a', size: 1 },
          { name: 'bb', size: 22 },
        ],
      },
      '/db',
    );
    expect(lines).toEqual([
      'x store in /db: inspect()',
      '  keys  2',
      '  files (2)',
      '    name  size',
      '    a     1',
      '    bb    22',
    ]);
  });

  it('cuts long lists and says how many it left out', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ i }));
    const text = renderValue({ rows }, plainPaint, '', 5).join('\n');
    expect(text).toContain('… 25 more (--json prints all)');
  });

  it('nests objects and lists of plain values', () => {
    const text = renderValue({ levels: { l0: [1, 2], l1: [] } }, plainPaint, '', 20).join('\n');
    expect(text).toBe('levels\n  l0  [1, 2]\n  l1  (none)');
  });
});

describe('the inspect report of nested pictures', () => {
  it('opens objects that hold lists as titled blocks, and counts lists nested too deep', () => {
    const pic = { files: [{ name: 'a.data', size: 3, strip: [{ offset: 0, fields: [{ o: 1 }] }] }] };
    const text = renderValue(pic, plainPaint, '', 20).join('\n');
    expect(text).toBe(
      ['files (1)', '  name a.data', '    size  3', '    strip (1)', '      (1 nested item; --json prints them)'].join(
        '\n',
      ),
    );
  });
});
