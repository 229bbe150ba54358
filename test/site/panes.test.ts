import { describe, expect, it } from 'vitest';
import { Recorder } from '../../site/workbench/recorder.js';
import { adapterFor } from '../../site/workbench/engines/index.js';
import { frameAt } from '../../site/workbench/frame.js';
import { addRange } from '../../site/workbench/disk.js';
import {
  eventLines,
  filesModel,
  formatBytes,
  hexModel,
  rowsFor,
  segments,
  stripScale,
} from '../../site/workbench/panes.js';

describe('the byte strip layout', () => {
  it('fits the largest file in the rows allowed, within the pixel limits', () => {
    const s = stripScale(1000, 500, 4);
    expect(s.px).toBe(2);
    expect(s.perRow).toBe(250);
    expect(rowsFor(1000, s)).toBe(4);
    expect(stripScale(10, 500).px).toBe(10);
    expect(stripScale(10_000_000, 500).px).toBe(0.25);
  });

  it('wraps a byte range into per-row segments', () => {
    const s = { px: 2, perRow: 10 };
    expect(segments(8, 15, s)).toEqual([
      { row: 0, x: 16, width: 4 },
      { row: 1, x: 0, width: 20 },
      { row: 2, x: 0, width: 6 },
    ]);
    expect(segments(5, 0, s)).toEqual([]);
  });

  it('merges unsynced ranges', () => {
    expect(addRange(addRange(addRange([], 0, 4), 10, 12), 4, 10)).toEqual([[0, 12]]);
    expect(addRange([[0, 2]], 5, 6)).toEqual([
      [0, 2],
      [5, 6],
    ]);
  });

  it('formats byte counts for the counters', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});

describe('the pane models', () => {
  it('annotates the hex of a snapshot save with the fields format.ts names', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    rec.run('put apple red');
    const [sync] = rec.run('sync');
    const w = rec.steps.findIndex((s, i) => i >= sync!.firstStep && s.event.type === 'io' && s.event.call === 'write');
    const hex = hexModel(frameAt(rec, w), rec.adapter)!;
    expect(hex.title).toBe('wrote 38 B of snapshot.db.tmp at offset 0');
    expect(hex.rows).toHaveLength(3);
    expect(hex.legend.map((l) => l.name)).toEqual([
      'magic',
      'version',
      'reserved',
      'count',
      'bodyLength',
      'keyLength',
      'valueLength',
      'key',
      'value',
      'crc',
    ]);
    expect(hex.legend.find((l) => l.name === 'key')!.text).toBe('"apple"');
    expect(hex.legend.find((l) => l.name === 'count')!.text).toBe('1');
    const first = hex.rows[0]!.bytes[0]!;
    expect(String.fromCharCode(first.value)).toBe('K');
    expect(hex.legend[first.field]!.name).toBe('magic');
    // The hex of that write stays annotated after the rename made the temp file's name vanish.
    const end = hexModel(frameAt(rec, sync!.endStep - 1), rec.adapter)!;
    expect(end.earlier).toBe(true);
    expect(end.legend.length).toBe(10);
  });

  it('marks overwritten bitcask records dead and points the focused key at its record', () => {
    const rec = new Recorder(adapterFor('bitcask'));
    rec.run('put k 1');
    rec.run('put k 2');
    rec.run('put other x');
    const [get] = rec.run('get k');
    const read = rec.steps.findIndex((s, i) => i >= get!.firstStep && s.event.type === 'io' && s.event.call === 'read');
    const f = frameAt(rec, read);
    const [file] = filesModel(f, rec.adapter);
    expect(file!.records.map((r) => [r.key, r.live])).toEqual([
      ['"k"', false],
      ['"k"', true],
      ['"other"', true],
    ]);
    expect(file!.touched).toMatchObject({
      kind: 'read',
      offset: file!.records[1]!.offset,
      length: file!.records[1]!.length,
    });
    expect(file!.target).toEqual({ offset: file!.records[1]!.offset, length: file!.records[1]!.length });
  });

  it("lists the events of the step's command, describing engine events in words", () => {
    const rec = new Recorder(adapterFor('bitcask'));
    rec.run('put first 1');
    const [put] = rec.run('put apple red');
    const lines = eventLines(rec, frameAt(rec, put!.firstStep));
    expect(lines.map((l) => l.family)).toEqual(['op', 'io', 'engine', 'engine', 'op']);
    expect(lines[1]!.text).toMatch(/^write 000001\.data @\d+ \+\d+ B$/);
    expect(lines[3]!.text).toMatch(/^keydir\[apple\] → 000001\.data @\d+, 3 B$/);
  });
});
