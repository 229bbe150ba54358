import { describe, expect, it } from 'vitest';
import { Recorder } from '../../site/workbench/recorder.js';
import { adapterFor } from '../../site/workbench/engines/index.js';
import { readDisk } from '../../site/workbench/disk.js';

/** The files of a recorder's disk now, by name. */
function files(rec: Recorder): Map<string, Uint8Array> {
  return new Map(readDisk(rec.fileSystem, rec.dir).files.map((f) => [f.name, f.bytes]));
}

describe("the engine adapters split files with the engines' own decoders", () => {
  it('snapshot: header, records and checksum, with decoded values', () => {
    const rec = new Recorder(adapterFor('snapshot'));
    for (const l of ['put b 22', 'put a 1', 'sync']) rec.run(l);
    const bytes = files(rec).get('snapshot.db')!;
    const fields = rec.adapter.fileFields('snapshot.db', bytes);
    expect(fields.map((f) => `${f.record ?? '-'}:${f.name}=${f.text}`)).toEqual([
      '-:magic="KVSNAPv1"',
      '-:version=1',
      '-:reserved=0',
      '-:count=2',
      '-:bodyLength=9',
      '0:keyLength=1',
      '0:valueLength=1',
      '0:key="a"',
      '0:value="1"',
      '1:keyLength=1',
      '1:valueLength=2',
      '1:key="b"',
      '1:value="22"',
      expect.stringMatching(/^-:crc=0x[0-9a-f]{8} \(matches\)$/),
    ]);
    expect(rec.adapter.fileRole('snapshot.db')).toBe('snapshot');
  });

  it('bitcask: every record of a data file, its flags decoded, and a torn tail marked as bytes that do not decode', () => {
    const rec = new Recorder(adapterFor('bitcask'));
    for (const l of ['put a 1', 'delete a', 'sync']) rec.run(l);
    const [name, bytes] = [...files(rec)].find(([n]) => n.endsWith('.data'))!;
    const fields = rec.adapter.fileFields(name, bytes);
    expect(new Set(fields.map((f) => f.record))).toEqual(new Set([0, 1]));
    expect(fields.filter((f) => f.name === 'flags').map((f) => f.text)).toEqual(['0 (put)', '1 (tombstone)']);
    expect(fields.find((f) => f.name === 'key')!.text).toBe('"a"');
    // Cut the file inside its second record: only the first decodes; the rest is malformed, in no record.
    const torn = rec.adapter.fileFields(name, bytes.subarray(0, bytes.length - 3));
    expect(new Set(torn.map((f) => f.record))).toEqual(new Set([0, undefined]));
    expect(torn.filter((f) => f.record === undefined).map((f) => f.kind)).toEqual(['raw']);
  });

  it('bitcask: hint files and the MANIFEST after a merge', () => {
    const rec = new Recorder(adapterFor('bitcask'), { options: { maxFileBytes: 120 } });
    for (const l of ['fill 6', 'put key001 again', 'compact']) rec.run(l);
    const disk = files(rec);
    const hint = [...disk].find(([n]) => n.endsWith('.hint'));
    expect(hint, [...disk.keys()].join(', ')).toBeDefined();
    const hf = rec.adapter.fileFields(hint![0], hint![1]);
    expect(hf[0]!.name).toBe('magic');
    expect(hf.at(-1)!.name).toBe('crc');
    expect(hf.filter((f) => f.name === 'key').length).toBeGreaterThan(0);
    expect(rec.adapter.fileRole(hint![0])).toBe('hint');
    const manifest = disk.get('MANIFEST');
    expect(manifest).toBeDefined();
    const mf = rec.adapter.fileFields('MANIFEST', manifest!);
    expect(mf.map((f) => f.name).slice(0, 5)).toEqual(['magic', 'lastId', 'activeId', 'hintedThrough', 'count']);
    expect(mf.at(-1)!.name).toBe('crc');
    const covered = mf.reduce((n, f) => n + f.length, 0);
    expect(covered).toBe(manifest!.length);
  });

  it('bitcask: a merge leaves the keydir pointing only at live records', () => {
    const rec = new Recorder(adapterFor('bitcask'), { options: { maxFileBytes: 120 } });
    for (const l of ['fill 6', 'put key001 again', 'delete key002', 'compact']) rec.run(l);
    const after = rec.commands.at(-1)!.after;
    const mem = rec.adapter.memory(after.inspect!, after.stats);
    expect(mem.rows.map((r) => r.id)).toEqual(['key001', 'key003', 'key004', 'key005', 'key006']);
    for (const [name, bytes] of files(rec)) {
      if (!name.endsWith('.data')) continue;
      const fields = rec.adapter.fileFields(name, bytes);
      const live = rec.adapter.liveRecords!(name, fields, after.inspect)!;
      // After a merge every record in the data files is live (nothing dead was copied).
      expect(live.size).toBe(new Set(fields.map((f) => f.record)).size);
    }
  });
});

describe('the empty key in the workbench', () => {
  for (const engine of ['snapshot', 'bitcask', 'btree', 'lsm'] as const) {
    it(`${engine}: put "" reaches the engine, a scan shows it first as "", and the hex view names its zero-byte key`, () => {
      const rec = new Recorder(adapterFor(engine));
      const out = (line: string) =>
        rec.run(line).flatMap((r) => r.output.filter((o) => o.kind !== 'cmd').map((o) => o.text));
      expect(out('put "" empty')).toEqual(['ok']);
      out('put a 1');
      expect(out('get ""')).toEqual(['empty']);
      expect(out('scan').slice(0, 2)).toEqual(['"" = empty', 'a = 1']);
      out('sync');
      const keys = [...files(rec)].flatMap(([name, bytes]) =>
        rec.adapter.fileFields(name, bytes).filter((f) => f.name === 'key'),
      );
      expect(
        keys.some((f) => f.length === 0 && f.text === '""'),
        JSON.stringify(keys),
      ).toBe(true);
    });
  }
});
