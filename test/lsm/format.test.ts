import { describe, it, expect } from 'vitest';
import {
  FOOTER,
  KIND_DELETE,
  KIND_PUT,
  decodeEdit,
  decodeFooter,
  decodeHandle,
  decodeInternalKey,
  decodeLogRecord,
  encodeEdit,
  encodeFooter,
  encodeHandle,
  encodeInternalKey,
  encodeLogRecord,
  parseName,
  logName,
  tableName,
  manifestName,
  type VersionEdit,
} from '../../engines/lsm/format.js';
import { utf8, fromUtf8 } from '../../engines/bytes.js';
import { isKVError } from '../../engines/errors.js';
import { Rng } from '../util/rng.js';

/** Runs `f` and expects it to succeed or throw KV_CORRUPT, nothing else. */
function corruptOrOk(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(isKVError(e, 'KV_CORRUPT'), String(e)).toBe(true);
  }
}

describe('lsm format', () => {
  it('names files by number and parses the names back', () => {
    expect(logName(7)).toBe('000007.log');
    expect(tableName(12)).toBe('000012.sst');
    expect(manifestName(3)).toBe('MANIFEST-000003');
    expect(parseName('000012.sst')).toEqual({ kind: 'table', number: 12 });
    expect(parseName('CURRENT')?.kind).toBe('current');
    expect(parseName('LOCK')).toBeUndefined();
  });

  it('orders an internal key trailer as seq * 256 + kind and round-trips large sequence numbers', () => {
    for (const seq of [0, 1, 255, 256, 2 ** 24 - 1, 2 ** 24, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]) {
      for (const kind of [KIND_PUT, KIND_DELETE] as const) {
        const ik = encodeInternalKey(utf8('key'), seq, kind);
        expect(ik.length).toBe(3 + 8);
        const d = decodeInternalKey(ik, 'f', 0);
        expect([fromUtf8(d.key), d.seq, d.kind]).toEqual(['key', seq, kind]);
      }
    }
  });

  it('round-trips footers, block handles and version edits', () => {
    const f = { index: { offset: 2 ** 33 + 1, size: 400 }, filter: { offset: 100, size: 30 } };
    expect(decodeFooter(encodeFooter(f), 2 ** 34, 't')).toEqual(f);
    expect(encodeFooter(f).length).toBe(FOOTER);
    expect(decodeHandle(encodeHandle({ offset: 300, size: 4000 }), 10_000, 't', 0)).toEqual({
      offset: 300,
      size: 4000,
    });
    const e: VersionEdit = {
      logNumber: 9,
      nextFile: 12,
      lastSeq: 2 ** 40,
      deleted: [{ level: 0, number: 4 }],
      added: [
        {
          level: 2,
          file: {
            number: 11,
            size: 5000,
            entries: 40,
            tombstones: 3,
            minSeq: 7,
            maxSeq: 99,
            smallest: utf8('a'),
            largest: utf8('zz'),
          },
        },
      ],
    };
    expect(decodeEdit(encodeEdit(e), 'm', 0)).toEqual(e);
  });

  it('decoders never crash on damaged bytes: each answer is a value or KV_CORRUPT', () => {
    const rng = new Rng(99);
    const samples = [
      encodeLogRecord(5, [
        { key: utf8('k'), seq: 0, kind: KIND_PUT, value: utf8('value') },
        { key: utf8('j'), seq: 0, kind: KIND_DELETE, value: new Uint8Array(0) },
      ]),
      encodeEdit({
        logNumber: 3,
        deleted: [{ level: 1, number: 2 }],
        added: [
          {
            level: 1,
            file: {
              number: 5,
              size: 9,
              entries: 1,
              tombstones: 0,
              minSeq: 1,
              maxSeq: 1,
              smallest: utf8('a'),
              largest: utf8('b'),
            },
          },
        ],
      }),
      encodeFooter({ index: { offset: 10, size: 20 }, filter: { offset: 0, size: 5 } }),
    ];
    for (let round = 0; round < 3000; round++) {
      const s = samples[round % 3]!;
      const b = rng.chance(0.5) ? s.slice(0, rng.int(s.length + 1)) : s.slice();
      if (b.length > 0) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      corruptOrOk(() => decodeLogRecord(b, 'log', 0));
      corruptOrOk(() => decodeEdit(b, 'm', 0));
      corruptOrOk(() => decodeFooter(b, 1000, 't'));
      corruptOrOk(() => decodeHandle(b, 1000, 't', 0));
      corruptOrOk(() => decodeInternalKey(b, 't', 0));
    }
  });
});
