import { describe, it, expect } from 'vitest';
import { LogWriter, readFrames } from '../../engines/lsm/wal.js';
import { decodeLogRecord, encodeLogRecord, KIND_DELETE, KIND_PUT, type Entry } from '../../engines/lsm/format.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { readWhole } from '../../engines/storage/fs.js';
import { utf8, fromUtf8 } from '../../engines/bytes.js';
import { isKVError } from '../../engines/errors.js';
import { FRAME_HEADER } from '../../engines/codec/frame.js';

const put = (k: string, v: string): Entry => ({ key: utf8(k), seq: 0, kind: KIND_PUT, value: utf8(v) });
const del = (k: string): Entry => ({ key: utf8(k), seq: 0, kind: KIND_DELETE, value: new Uint8Array(0) });

/** A log of three records (the second a batch), synced, and its bytes. */
function threeRecords(): { fs: MemoryFileSystem; bytes: Uint8Array } {
  const fs = new MemoryFileSystem();
  fs.mkdir('/d');
  const w = new LogWriter(fs.open('/d/000001.log', { create: true }), 1);
  w.append(encodeLogRecord(1, [put('a', 'apple')]));
  w.append(encodeLogRecord(2, [put('b', 'banana'), del('a'), put('c', 'x'.repeat(600))]));
  w.append(encodeLogRecord(5, [put('d', 'date')]));
  w.sync();
  return { fs, bytes: readWhole(fs, '/d/000001.log') };
}

describe('lsm write-ahead log', () => {
  it('writes a batch as one record, and reads ops back with consecutive sequence numbers', () => {
    const { bytes } = threeRecords();
    const { records, tornAt } = readFrames(bytes, 'log');
    expect(tornAt).toBeUndefined();
    expect(records.length).toBe(3);
    const batch = decodeLogRecord(records[1]!.payload, 'log', records[1]!.offset + FRAME_HEADER);
    expect(batch.map((e) => [fromUtf8(e.key), e.seq, e.kind])).toEqual([
      ['b', 2, 1],
      ['a', 3, 0],
      ['c', 4, 1],
    ]);
  });

  it('drops a torn tail at every cut point, keeping every whole record before it', () => {
    const { bytes } = threeRecords();
    const ends = readFrames(bytes, 'log').records.map((r, i, all) =>
      i + 1 < all.length ? all[i + 1]!.offset : bytes.length,
    );
    for (let n = 0; n < bytes.length; n++) {
      const { records, tornAt } = readFrames(bytes.subarray(0, n), 'log');
      expect(records.length).toBe(ends.filter((e) => e <= n).length);
      if (!ends.includes(n) && n > 0) expect(tornAt).toBe(records.length ? ends[records.length - 1] : 0);
    }
  });

  it('drops an unsynced tail that a reordering disk left with a lost sector, and one of zeros', () => {
    const { bytes } = threeRecords();
    const second = readFrames(bytes, 'log').records[1]!.offset;
    const holed = bytes.slice();
    holed.fill(0, 512, 1024); // the big record's second sector never landed; the third record did
    expect(readFrames(holed, 'log').records.length).toBe(1);
    expect(readFrames(holed, 'log').tornAt).toBe(second);
    const zeros = new Uint8Array(bytes.length + 100);
    zeros.set(bytes);
    expect(readFrames(zeros, 'log').records.length).toBe(3);
  });

  it('reports a flipped bit in a length that makes a whole record look torn as KV_CORRUPT', () => {
    const { bytes } = threeRecords();
    for (const bit of [7, 12, 20, 30]) {
      const bad = bytes.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      let err: unknown;
      try {
        readFrames(bad, 'log');
      } catch (e) {
        err = e;
      }
      expect(isKVError(err, 'KV_CORRUPT'), `bit ${bit}`).toBe(true);
    }
  });

  it('reports a flipped bit in a record that is not the tail as KV_CORRUPT with the offset', () => {
    const { bytes } = threeRecords();
    const bad = bytes.slice();
    bad[FRAME_HEADER + 3]! ^= 0x10;
    let err: unknown;
    try {
      readFrames(bad, '000001.log');
    } catch (e) {
      err = e;
    }
    expect(isKVError(err, 'KV_CORRUPT')).toBe(true);
    expect((err as { offset: number }).offset).toBe(0);
    expect((err as Error).message).toMatch(/000001\.log/);
  });
});
