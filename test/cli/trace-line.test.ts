import { describe, it, expect } from 'vitest';
import { formatTraceEvent, fieldText } from '../../cli/trace-line.js';
import { colourPaint, stripColour } from '../../cli/colour.js';
import type { TraceEvent } from '../../engines/registry-types.js';

const line = (e: unknown, dir?: string) => formatTraceEvent(e as TraceEvent, dir ? { dir } : {});

describe('a trace event as one line', () => {
  it('shows an op beginning with its key and value, and ending with its result', () => {
    expect(line({ type: 'op', phase: 'begin', op: 'put', engine: 'snapshot', key: 'apple', value: 'red' })).toBe(
      '→ put key=apple value=red',
    );
    expect(line({ type: 'op', phase: 'end', op: 'get', engine: 'snapshot', result: 'found 3 bytes' })).toBe(
      '← get found 3 bytes',
    );
    expect(line({ type: 'op', phase: 'end', op: 'sync', engine: 'snapshot' })).toBe('← sync ok');
    expect(line({ type: 'op', phase: 'begin', op: 'scan', engine: 'lsm', detail: '[a, z)' })).toBe('→ scan [a, z)');
  });

  it('shows a failed op with its error code', () => {
    expect(line({ type: 'op', phase: 'end', op: 'sync', engine: 'bitcask', error: 'KV_IO' })).toBe(
      '← sync failed: KV_IO',
    );
  });

  it('shows an io call with the path relative to the store, offset, length and the first bytes', () => {
    const e = {
      type: 'io',
      call: 'write',
      path: '/db/000001.data',
      offset: 0,
      length: 40,
      hex: '00112233445566778899aabbccddeeff0011',
    };
    expect(line(e, '/db')).toBe('  io write 000001.data @0 +40 00112233 44556677 8899aabb ccddeeff…');
    expect(line({ type: 'io', call: 'rename', path: '/db/a.tmp', to: '/db/a' }, '/db/')).toBe('  io rename a.tmp → a');
    expect(line({ type: 'io', call: 'syncDir', path: '/db' }, '/db')).toBe('  io syncDir .');
    expect(line({ type: 'io', call: 'sync', path: '/db/x', error: 'EIO' }, '/db')).toBe('  io sync x failed: EIO');
  });

  it('shows any engine event as its type and fields, without knowing the engine', () => {
    const e = { type: 'lsm.flush', table: '000007.sst', entries: 12, ok: true, range: ['a', 'z'], note: 'two words' };
    expect(line(e)).toBe('  lsm.flush table=000007.sst entries=12 ok=true range=["a","z"] note="two words"');
  });

  it('cuts long fields with an ellipsis', () => {
    expect(fieldText('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
    expect(fieldText({ a: 'y'.repeat(100) }, 12)).toHaveLength(12);
  });

  it('colours by family when asked, and strips back to the plain line', () => {
    const e = { type: 'op', phase: 'begin', op: 'put', engine: 'snapshot', key: 'k' } as TraceEvent;
    const coloured = formatTraceEvent(e, { paint: colourPaint });
    expect(coloured).toContain('\u001b[36m');
    expect(stripColour(coloured)).toBe(formatTraceEvent(e));
  });
});
