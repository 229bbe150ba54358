/**
 * Diagrams and bytes linked, per engine adapter: a clicked record, page, block, SSTable or
 * in-memory entry maps to the exact bytes that hold it, and every byte maps back to the
 * structure and field it belongs to.
 */
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../site/workbench/recorder.js';
import { frameAt, type Frame } from '../../site/workbench/frame.js';
import { snapshotAdapter } from '../../site/workbench/engines/snapshot/index.js';
import { bitcaskAdapter } from '../../site/workbench/engines/bitcask/index.js';
import { btreeAdapter } from '../../site/workbench/engines/btree/index.js';
import { lsmAdapter } from '../../site/workbench/engines/lsm/index.js';
import type { EngineAdapter } from '../../site/workbench/adapter.js';
import { fieldsOf } from '../../site/workbench/panes.js';
import { ownerAt, recordRanges, selectionHex, targetRange, unquote } from '../../site/workbench/linked.js';

/** Runs `lines` on a fresh recorder and returns the last frame. */
function last(ad: EngineAdapter, lines: string[], options = {}): { rec: Recorder; f: Frame } {
  const rec = new Recorder(ad, { options });
  for (const l of lines) rec.run(l);
  return { rec, f: frameAt(rec, rec.steps.length - 1) };
}

/** The bytes of `file` in a frame. */
const bytesOf = (f: Frame, file: string): Uint8Array => f.disk.files.find((x) => x.name === file)!.bytes;

/** Every byte of a range names that range's record, and the range is the union of the record's fields. */
function checkRecordRoundTrip(ad: EngineAdapter, f: Frame, file: string, record: number): void {
  const r = targetRange(ad, f.disk, { kind: 'record', file, record })!;
  expect(r).toBeDefined();
  const bytes = bytesOf(f, file);
  const fields = fieldsOf(ad, file, bytes).filter((x) => x.record === record);
  expect(r.offset).toBe(Math.min(...fields.map((x) => x.offset)));
  expect(r.offset + r.length).toBe(Math.max(...fields.map((x) => x.offset + x.length)));
  for (let o = r.offset; o < r.offset + r.length; o++) {
    const w = ownerAt(ad, file, bytes, o);
    expect(w.record).toBe(record);
    expect(w.recordRange).toEqual({ offset: r.offset, length: r.length });
    expect(w.text).toContain(w.field!.name);
  }
}

describe('linked diagrams and bytes', () => {
  it('snapshot: a dict entry is the record holding its key in the snapshot file', () => {
    const { f } = last(snapshotAdapter, ['put apple red', 'put banana yellow', 'sync']);
    const file = f.disk.files.find(
      (x) => x.name.endsWith('.snap') || snapshotAdapter.fileRole(x.name) === 'snapshot',
    )!.name;
    const r = targetRange(snapshotAdapter, f.disk, { kind: 'entry', key: 'banana' })!;
    expect(r.file).toBe(file);
    const text = new TextDecoder().decode(bytesOf(f, file).subarray(r.offset, r.offset + r.length));
    expect(text).toContain('banana');
    expect(text).toContain('yellow');
    expect(text).not.toContain('apple');
    checkRecordRoundTrip(snapshotAdapter, f, file, r.record!);
    // The file header is not a record, and says so.
    expect(ownerAt(snapshotAdapter, file, bytesOf(f, file), 0).structure).toBe('file header');
  });

  it('bitcask: a keydir entry is the record its pointer lands in, the newest one for an overwritten key', () => {
    const { f } = last(bitcaskAdapter, ['put apple red', 'put kiwi green', 'put apple blue']);
    const row = f.memory!.rows.find((x) => x.id === 'apple')!;
    const r = targetRange(bitcaskAdapter, f.disk, { kind: 'entry', key: 'apple', target: row.target })!;
    expect(r.record).toBe(2);
    const text = new TextDecoder().decode(bytesOf(f, r.file).subarray(r.offset, r.offset + r.length));
    expect(text.endsWith('appleblue')).toBe(true);
    checkRecordRoundTrip(bitcaskAdapter, f, r.file, 0);
    const w = ownerAt(bitcaskAdapter, r.file, bytesOf(f, r.file), r.offset + r.length - 1);
    expect(w.field!.name).toBe('value');
    expect(w.key).toBe('apple');
    expect(w.text).toMatch(/^value of record 2 \(seq 3\) = "blue"/);
  });

  it('btree: a page is its page-size slice of btree.db; a cached page row selects it too', () => {
    const { f } = last(btreeAdapter, ['fill 30', 'sync'], { pageSize: 512 });
    const file = f.disk.files.find((x) => btreeAdapter.fileRole(x.name) === 'pages')!.name;
    const r = targetRange(btreeAdapter, f.disk, { kind: 'page', file, page: 2 })!;
    expect(r).toMatchObject({ file, offset: 1024, length: 512 });
    expect(ownerAt(btreeAdapter, file, bytesOf(f, file), 1024 + 4).structure).toBe('page 2');
    expect(ownerAt(btreeAdapter, file, bytesOf(f, file), 1024 + 4).field!.name).toBe('pageType');
    expect(targetRange(btreeAdapter, f.disk, { kind: 'entry', key: 'page 2' })).toEqual(r);
    expect(targetRange(btreeAdapter, f.disk, { kind: 'page', file, page: 10_000 })).toBeUndefined();
  });

  it('lsm: a table is its whole file; its blocks, filter, index and footer are named', () => {
    const { f } = last(lsmAdapter, ['fill 40', 'compact']);
    const table = f.disk.files.find((x) => lsmAdapter.fileRole(x.name).startsWith('SSTable'))!;
    expect(targetRange(lsmAdapter, f.disk, { kind: 'table', file: table.name })).toMatchObject({
      offset: 0,
      length: table.bytes.length,
    });
    const fields = fieldsOf(lsmAdapter, table.name, table.bytes);
    const names = new Set(
      [...recordRanges(fields).values()].map((r) => ownerAt(lsmAdapter, table.name, table.bytes, r.offset).structure),
    );
    expect(names).toContain('data block 0');
    expect(names).toContain('index block');
    expect(names).toContain('footer');
    checkRecordRoundTrip(lsmAdapter, f, table.name, 0);
    // The last byte of the file is the footer's magic.
    expect(ownerAt(lsmAdapter, table.name, table.bytes, table.bytes.length - 1).field!.name).toBe('magic');
  });

  it('lsm: a memtable entry is the log record that holds its key', () => {
    const { f } = last(lsmAdapter, ['put apple red', 'put pear green']);
    const r = targetRange(lsmAdapter, f.disk, { kind: 'entry', key: 'pear' })!;
    expect(lsmAdapter.fileRole(r.file)).toBe('write-ahead log');
    const w = ownerAt(lsmAdapter, r.file, bytesOf(f, r.file), r.offset);
    expect(w.record).toBe(r.record);
    const keyField = fieldsOf(lsmAdapter, r.file, bytesOf(f, r.file)).find(
      (x) => x.record === r.record && x.name === 'key',
    )!;
    expect(unquote(keyField.text!)).toBe('pear');
  });

  it('something not on disk has no bytes', () => {
    const { f } = last(bitcaskAdapter, ['put apple red']);
    expect(targetRange(bitcaskAdapter, f.disk, { kind: 'entry', key: 'nothing' })).toBeUndefined();
    expect(targetRange(bitcaskAdapter, f.disk, { kind: 'record', file: 'no.data', record: 0 })).toBeUndefined();
    expect(
      targetRange(bitcaskAdapter, f.disk, { kind: 'record', file: f.disk.files[0]!.name, record: 99 }),
    ).toBeUndefined();
  });

  it('the hex view of a selection marks exactly the selected bytes', () => {
    const { f } = last(bitcaskAdapter, ['put apple red', 'put kiwi green', 'put fig purple']);
    const r = targetRange(bitcaskAdapter, f.disk, { kind: 'record', file: f.disk.files[0]!.name, record: 1 })!;
    const m = selectionHex(bitcaskAdapter, f.disk, r, 16)!;
    expect(m.kind).toBe('select');
    expect(m.selected).toEqual([r.offset, r.offset + r.length]);
    const shown = m.rows.flatMap((row) => row.bytes.map((b) => b.offset));
    for (let o = r.offset; o < r.offset + r.length; o++) expect(shown).toContain(o);
    expect(shown[0]! % 16).toBe(0);
  });
});
