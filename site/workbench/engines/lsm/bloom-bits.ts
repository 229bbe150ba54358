/**
 * bloom-bits.ts: which bits of a table's bloom filter a key lands on, read from the table's
 * bytes on disk at a step. No DOM here.
 *
 * The positions are the engine's own (engines/lsm/bloom.ts: LevelDB's hash, then k probes by
 * double hashing); the bits are the filter block's, found by the engine's table describer. So
 * the caption of a bloom check can say "key0055 → bits 17, 40, 63: bit 40 is 0, so NO", and
 * the reader sees why a filter says no, and why it sometimes says maybe for a missing key.
 */
import { bloomHash } from '../../../../engines/lsm/bloom.js';
import { utf8 } from '../../../../engines/bytes.js';
import type { FieldSpan } from '../../adapter.js';

/** A key's probes into one filter: each bit position and whether it is set. */
export interface BloomProbe {
  bits: number;
  probes: { pos: number; set: boolean }[];
}

/** The probes of `key` into the filter of a table with these bytes and fields, or undefined when it has none. */
export function bloomProbe(fields: readonly FieldSpan[], bytes: Uint8Array, key: string): BloomProbe | undefined {
  const f = fields.find((x) => x.name === 'filterBits');
  const k = fields.find((x) => x.name === 'probes');
  if (!f || !k || f.offset + f.length > bytes.length || k.offset >= bytes.length) return undefined;
  const bits = f.length * 8;
  const count = bytes[k.offset]!;
  if (bits === 0 || count < 1 || count > 30) return undefined;
  // The engine's probing: h, h + d, h + 2d, ... with d = h rotated right by 17 bits.
  let h = bloomHash(utf8(key));
  const delta = ((h >>> 17) | (h << 15)) >>> 0;
  const probes: BloomProbe['probes'] = [];
  for (let j = 0; j < count; j++) {
    const pos = h % bits;
    probes.push({ pos, set: (bytes[f.offset + (pos >>> 3)]! & (1 << (pos & 7))) !== 0 });
    h = (h + delta) >>> 0;
  }
  return { bits, probes };
}

/** The probes as a caption's clause: "key0055 → bits 17·1 40·0 63·1 of 160: bit 40 is 0". */
export function probeText(key: string, p: BloomProbe): string {
  const list = p.probes.map((x) => `${x.pos}${x.set ? '=1' : '=0'}`).join(' ');
  const clear = p.probes.find((x) => !x.set);
  return `${key} lands on bits ${list} of ${p.bits}: ${clear ? `bit ${clear.pos} is 0, so the key was never added` : 'all set, by this key or by others'}`;
}
