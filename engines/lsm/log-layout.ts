/**
 * log-layout.ts: the lsm engine's log-shaped files as named spans (engines/layout.ts): the
 * write-ahead log (one frame per write or batch) and the manifest (one frame per version
 * edit), for `kv dump`, the site's hex view and the tests. The byte tables are in format.ts.
 *
 * Both are frames (codec/frame.ts): a length, a masked CRC-32C, a payload. Each whole frame
 * is a group; its payload is decoded by the engine's own decoder (decodeLogRecord, and
 * walkEdit with the one list of edit tags, EDIT_TAGS) and named field by field. A payload
 * the decoder refuses is one malformed span (the walk goes on: the frame's length says where
 * the next one starts); a frame that is cut short or fails its checksum is one malformed
 * span to the end of the file, where the walk stops (what recovery treats as a torn tail, or
 * as damage: wal.ts decides which). Never throws.
 */
import { FRAME_HEADER, decodeFrame, frameChecksum } from '../codec/frame.js';
import { decodeVarint } from '../codec/varint.js';
import { KVError } from '../errors.js';
import {
  ByteReader,
  crcNote,
  fieldGroup,
  malformed,
  parentGroup,
  span,
  type Group,
  type Span,
  shown,
} from '../layout.js';
import { EDIT_TAGS, walkEdit, type EditFieldAt } from './edit.js';
import { KIND_PUT, LOG_HEADER, decodeLogRecord } from './format.js';
import { tableName } from './names.js';

/** What a decoder's error says, without the "file is corrupt at byte offset N:" part. */
function reasonOf(e: unknown): string {
  return e instanceof KVError ? e.message.replace(/^.* at byte offset \d+: /, '') : String(e);
}

/** The two header fields of the frame at `at` with a `len`-byte payload. */
function frameSpans(r: ByteReader, at: number, len: number): Span[] {
  const stored = r.u32(at + 4)!;
  const computed = frameChecksum(r.bytes, at, len);
  return [
    span(at, 4, 'frameLength', 'length', { value: len }),
    span(at + 4, 4, 'frameCrc', 'crc', { value: stored, computed, note: crcNote(stored, computed) }),
  ];
}

/**
 * The frames of a log-shaped file: `payload` turns each whole frame (its header spans, the
 * payload and its file offset) into a group, or throws when the payload does not decode.
 */
function describeFrames(
  bytes: Uint8Array,
  payload: (frame: Span[], p: Uint8Array, base: number, index: number) => Group,
): Group[] {
  const r = new ByteReader(bytes);
  const out: Group[] = [];
  for (let o = 0, i = 0; o < bytes.length; i++) {
    const f = decodeFrame(bytes, o);
    if (f.kind !== 'ok') {
      out.push(malformed(o, bytes.length, `${f.kind === 'torn' ? 'a torn frame' : 'a damaged frame'}: ${f.reason}`));
      break;
    }
    const frame = frameSpans(r, o, f.payload.length);
    try {
      out.push(payload(frame, f.payload, o + FRAME_HEADER, i));
    } catch (e) {
      const head = fieldGroup('header', `frame of ${f.payload.length} bytes`, frame);
      out.push(
        parentGroup('frame', `a frame whose payload does not decode: ${reasonOf(e)}`, [
          head,
          malformed(o + FRAME_HEADER, f.next, reasonOf(e)),
        ]),
      );
    }
    o = f.next;
  }
  return out;
}

/** A varint's span at `at` in the payload `p` (file offset `base`); the varint must be there. */
function varintSpan(
  p: Uint8Array,
  base: number,
  at: number,
  name: string,
  kind: Span['kind'],
): { span: Span; next: number; value: number } {
  const d = decodeVarint(p, at)!;
  return { span: span(base + at, d.next - at, name, kind, { value: d.value }), next: d.next, value: d.value };
}

/** One write-ahead log record: a header group (frame, first seq, op count), then one group per op. */
function logRecord(frame: Span[], p: Uint8Array, base: number): Group {
  // The decoder has the last word: it throws on anything malformed, so the walk below is safe.
  const ops = decodeLogRecord(p, 'log', base);
  const r = new ByteReader(p);
  const first = r.u64(0)!;
  const head = fieldGroup(
    'header',
    `frame of ${p.length} bytes; ${ops.length} op${ops.length === 1 ? '' : 's'} from seq ${first}`,
    [
      ...frame,
      span(base, 8, 'firstSeq', 'seq', { value: first }),
      span(base + 8, 4, 'opCount', 'length', { value: ops.length }),
    ],
  );
  const children: Group[] = [head];
  let o = LOG_HEADER;
  for (const op of ops) {
    const spans: Span[] = [
      span(base + o, 1, 'opKind', 'flag', { value: op.kind, note: op.kind === KIND_PUT ? 'put' : 'delete' }),
    ];
    const kl = varintSpan(p, base, o + 1, 'keyLength', 'length');
    spans.push(kl.span, span(base + kl.next, kl.value, 'key', 'key', { value: op.key }));
    o = kl.next + kl.value;
    let label = `seq ${op.seq} delete ${shown(op.key)}`;
    if (op.kind === KIND_PUT) {
      const vl = varintSpan(p, base, o, 'valueLength', 'length');
      spans.push(vl.span, span(base + vl.next, vl.value, 'value', 'value', { value: op.value }));
      o = vl.next + vl.value;
      label = `seq ${op.seq} put ${shown(op.key)}=${shown(op.value)}`;
    }
    children.push(fieldGroup('op', label, spans));
  }
  const label = ops.length === 1 ? children[1]!.label : `batch of ${ops.length} ops from seq ${first}`;
  return parentGroup('record', label, children);
}

/** The spans of one field of an edit tag (a bytes field is its length, then its bytes). */
function editFieldSpans(f: EditFieldAt, base: number): Span[] {
  const { field } = f;
  if (field.shape === 'bytes') {
    const bytes = f.value as Uint8Array;
    return [
      span(base + f.at, f.bytesAt! - f.at, `${field.name}Length`, 'length', { value: bytes.length }),
      span(base + f.bytesAt!, bytes.length, field.name, field.kind, { value: bytes }),
    ];
  }
  const n = f.value as number;
  return [
    span(base + f.at, f.end - f.at, field.name, field.kind, {
      value: n,
      ...(field.file ? { target: { file: field.file(n) }, note: field.file(n) } : {}),
    }),
  ];
}

/** One tag of an edit in words, e.g. "added file: L0 000005.sst [a .. k], 12 entries". */
function tagLabel(tag: number, fields: EditFieldAt[]): string {
  const v = (name: string): number | Uint8Array | undefined => fields.find((f) => f.field.name === name)?.value;
  const name = EDIT_TAGS[tag]!.name;
  if (tag === 5)
    return `${name}: L${String(v('level'))} ${tableName(v('fileNumber') as number)} [${shown(v('smallest') as Uint8Array)} .. ${shown(v('largest') as Uint8Array)}], ${String(v('entries'))} entries`;
  if (tag === 4) return `${name}: L${String(v('level'))} ${tableName(v('fileNumber') as number)}`;
  return `${name}: ${fields.map((f) => (f.field.file ? f.field.file(f.value as number) : String(f.value))).join(', ')}`;
}

/** One manifest edit: the frame header, then one group per tag. */
function edit(frame: Span[], p: Uint8Array, base: number, index: number): Group {
  const children: Group[] = [fieldGroup('header', `frame of ${p.length} bytes`, frame)];
  walkEdit(p, 'manifest', base, (tag, at, tagEnd, fields) => {
    const t = EDIT_TAGS[tag]!;
    const spans = [
      span(base + at, tagEnd - at, 'tag', 'flag', { value: tag, note: t.name }),
      ...fields.flatMap((f) => editFieldSpans(f, base)),
    ];
    children.push(fieldGroup('tag', tagLabel(tag, fields), spans));
  });
  const tags = children.slice(1).map((g) => g.label);
  return parentGroup('edit', `${index === 0 ? 'snapshot: ' : ''}${tags.join('; ') || '(empty edit)'}`, children);
}

/** A write-ahead log (NNNNNN.log) as spans: one record per frame, one group per op. Never throws. */
export function describeLogFile(bytes: Uint8Array): Group[] {
  return describeFrames(bytes, (frame, p, base) => logRecord(frame, p, base));
}

/** A manifest (MANIFEST-NNNNNN) as spans: one edit per frame, every tag named. Never throws. */
export function describeManifestFile(bytes: Uint8Array): Group[] {
  return describeFrames(bytes, edit);
}
