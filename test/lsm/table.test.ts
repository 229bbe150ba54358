import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/index.js';
import { TableWriter } from '../../engines/lsm/table-writer.js';
import { TableReader } from '../../engines/lsm/table-reader.js';
import { BlockCache } from '../../engines/lsm/block-cache.js';
import { KIND_DELETE, KIND_PUT, type Entry, type FileMeta } from '../../engines/lsm/format.js';
import { utf8, fromUtf8 } from '../../engines/bytes.js';

const k = (i: number) => utf8(`row:${String(i * 2).padStart(5, '0')}`);

/** A table of n entries (every 7th a tombstone), and a reader on it. */
function table(n: number, blockBytes = 256): { reader: TableReader; meta: FileMeta; fs: MemoryFileSystem } {
  const fs = new MemoryFileSystem();
  fs.mkdir('/d');
  const w = new TableWriter(
    fs.open('/d/000001.sst', { create: true }),
    '000001.sst',
    1,
    { blockBytes, bloomBitsPerKey: 10 },
    undefined,
  );
  for (let i = 0; i < n; i++) {
    const e: Entry =
      i % 7 === 3
        ? { key: k(i), seq: 1000 + i, kind: KIND_DELETE, value: new Uint8Array(0) }
        : { key: k(i), seq: 1000 + i, kind: KIND_PUT, value: utf8(`value ${i}`) };
    w.add(e);
  }
  const meta = w.finish();
  return {
    reader: new TableReader(fs, '/d/000001.sst', '000001.sst', meta, new BlockCache(1 << 20), undefined),
    meta,
    fs,
  };
}

describe('lsm sstable', () => {
  it('records what the manifest needs: entries, tombstones, sequence and key range, exact size', () => {
    const { meta, fs } = table(500);
    expect(meta).toMatchObject({
      entries: 500,
      tombstones: 71,
      minSeq: 1000,
      maxSeq: 1499,
      size: fs.fileSize('/d/000001.sst'),
    });
    expect(fromUtf8(meta.smallest)).toBe('row:00000');
    expect(fromUtf8(meta.largest)).toBe('row:00998');
  });

  it('finds every key (values and tombstones with their sequence numbers) and no key between them', () => {
    const { reader } = table(500);
    expect(reader.blockCount).toBeGreaterThan(10);
    for (let i = 0; i < 500; i++) {
      const e = reader.get(k(i), 0)!;
      expect(e.seq).toBe(1000 + i);
      expect(e.kind).toBe(i % 7 === 3 ? KIND_DELETE : KIND_PUT);
      if (e.kind === KIND_PUT) expect(fromUtf8(e.value)).toBe(`value ${i}`);
      expect(reader.get(utf8(`row:${String(i * 2 + 1).padStart(5, '0')}`), 0)).toBeUndefined();
    }
    expect(reader.get(utf8('a'), 0)).toBeUndefined();
    expect(reader.get(utf8('z'), 0)).toBeUndefined();
  });

  it('iterates from any key in both directions, inclusive or exclusive', () => {
    const { reader } = table(300);
    const keys = (it: Iterator<Entry>, n: number) => {
      const out: string[] = [];
      for (let r = it.next(); !r.done && out.length < n; r = it.next()) out.push(fromUtf8(r.value.key));
      return out;
    };
    expect(keys(reader.entries(0), 2)).toEqual(['row:00000', 'row:00002']);
    expect(keys(reader.entries(0, false, k(100)), 2)).toEqual(['row:00200', 'row:00202']);
    expect(keys(reader.entries(0, false, k(100), true), 1)).toEqual(['row:00202']);
    expect(keys(reader.entries(0, false, utf8('row:00201')), 1)).toEqual(['row:00202']);
    expect(keys(reader.entries(0, true), 2)).toEqual(['row:00598', 'row:00596']);
    expect(keys(reader.entries(0, true, k(100)), 2)).toEqual(['row:00200', 'row:00198']);
    expect(keys(reader.entries(0, true, k(100), true), 1)).toEqual(['row:00198']);
    expect(keys(reader.entries(0, true, utf8('row:00201')), 1)).toEqual(['row:00200']);
    expect(keys(reader.entries(0, true, utf8('a')), 1)).toEqual([]);
    expect(keys(reader.entries(0, false, utf8('z')), 1)).toEqual([]);
    expect(keys(reader.entries(0, false), 1000).length).toBe(300);
    expect(keys(reader.entries(0, true), 1000).length).toBe(300);
  });
});
