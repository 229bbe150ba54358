/**
 * fields.ts: btree.db split into its fields, page by page, with the layout of the engine's
 * format.ts (the page size found by the engine's own meta.ts), each with its value as text.
 */
import {
  BRANCH_ENTRY,
  DATA_FILE,
  FLAG_OVERFLOW,
  HEADER,
  LEAF_ENTRY,
  OVERFLOW_REF,
  PAGE_BRANCH,
  PAGE_FREELIST,
  PAGE_LEAF,
  PAGE_META,
  PAGE_OVERFLOW,
  kindOf,
} from '../../../../engines/btree/format.js';
import { pageSizeOf } from '../../../../engines/btree/meta.js';
import { bytesText, readUintLE, type FieldSpan } from '../../adapter.js';

/** The page size of a btree.db's bytes, as open finds it (from meta page 0, or else 1). */
export function filePageSize(bytes: Uint8Array): number | undefined {
  return pageSizeOf((at, n) => bytes.subarray(at, at + n), DATA_FILE);
}

/** Field text for the hex legend. */
function fieldText(name: string, b: Uint8Array, offset: number, length: number): string {
  const bytes = b.subarray(offset, offset + length);
  if (name === 'checksum') return '0x' + readUintLE(b, offset, 4).toString(16).padStart(8, '0') + ' (masked CRC-32C)';
  switch (name) {
    case 'pageType':
      return `${b[offset]} (${kindOf(b[offset] ?? 0) ?? 'unknown'})`;
    case 'magic':
    case 'key':
    case 'separatorKey':
    case 'value':
    case 'overflowData':
      return bytesText(bytes);
    case 'entryFlags':
      return (b[offset] ?? 0) & FLAG_OVERFLOW ? '1 (value in overflow pages)' : '0 (value inline)';
    default:
      return String(readUintLE(b, offset, length));
  }
}


/**
 * The fields of btree.db: for each page (record = page id), its 16-byte header, then by type
 * the meta fields, the entries, the overflow bytes or the freelist ids. Reads with bounds
 * checks and stops a page at the first entry that does not fit (a torn page stays unexplained).
 */
export function btreeFields(bytes: Uint8Array): FieldSpan[] {
  const P = filePageSize(bytes);
  if (!P) return [];
  const out: FieldSpan[] = [];
  const u = (o: number, n: number): number => readUintLE(bytes, o, n);
  for (let id = 0; (id + 1) * P <= bytes.length; id++) {
    const at = id * P;
    const type = bytes[at + 4] ?? 0;
    if (!kindOf(type)) continue; // a never-written (all zero) page
    const f = (offset: number, length: number, name: string): void => {
      out.push({ offset: at + offset, length, name, record: id });
    };
    f(0, 4, 'checksum');
    f(4, 1, 'pageType');
    f(5, 1, 'flags');
    f(6, 2, 'count');
    f(8, 4, 'pageId');
    f(12, 4, 'nextPage');
    const count = u(at + 6, 2);
    if (type === PAGE_META) {
      f(16, 8, 'magic');
      f(24, 2, 'version');
      f(26, 2, 'reserved');
      f(28, 4, 'pageSize');
      f(32, 8, 'txid');
      f(40, 4, 'rootPage');
      f(44, 4, 'height');
      f(48, 4, 'freelistPage');
      f(52, 4, 'freelistPages');
      f(56, 4, 'pageCount');
      f(60, 4, 'leafPages');
      f(64, 4, 'branchPages');
      f(68, 4, 'overflowPages');
      f(72, 8, 'keyCount');
      f(80, 8, 'liveBytes');
    } else if (type === PAGE_LEAF) {
      let o = HEADER;
      for (let i = 0; i < count && o + LEAF_ENTRY <= P; i++) {
        const kl = u(at + o, 2);
        const flags = bytes[at + o + 2] ?? 0;
        const vl = u(at + o + 3, 4);
        const inline = (flags & FLAG_OVERFLOW) === 0;
        const end = o + LEAF_ENTRY + kl + (inline ? vl : OVERFLOW_REF);
        if (end > P) break;
        f(o, 2, 'keyLength');
        f(o + 2, 1, 'entryFlags');
        f(o + 3, 4, 'valueLength');
        f(o + LEAF_ENTRY, kl, 'key');
        if (inline) f(o + LEAF_ENTRY + kl, vl, 'value');
        else f(o + LEAF_ENTRY + kl, OVERFLOW_REF, 'overflowPage');
        o = end;
      }
    } else if (type === PAGE_BRANCH) {
      let o = HEADER;
      for (let i = 0; i < count && o + BRANCH_ENTRY <= P; i++) {
        const kl = u(at + o + 4, 2);
        if (o + BRANCH_ENTRY + kl > P) break;
        f(o, 4, 'childPage');
        f(o + 4, 2, 'keyLength');
        if (kl > 0) f(o + BRANCH_ENTRY, kl, 'separatorKey');
        o += BRANCH_ENTRY + kl;
      }
    } else if (type === PAGE_OVERFLOW) {
      if (count > 0 && HEADER + count <= P) f(HEADER, count, 'overflowData');
    } else if (type === PAGE_FREELIST) {
      for (let i = 0; i < count && HEADER + 4 * i + 4 <= P; i++) f(HEADER + 4 * i, 4, 'freePageId');
    }
  }
  return out.map((x) => ({ ...x, text: fieldText(x.name, bytes, x.offset, x.length) }));
}

/** The fields of one of the store's files (btree.db, or btree.db.new while a create runs). */
export function btreeFileFields(name: string, bytes: Uint8Array): FieldSpan[] {
  return name.startsWith(DATA_FILE) ? btreeFields(bytes) : [];
}

/** What the engine calls a file. */
export function btreeFileRole(name: string): string {
  if (name === DATA_FILE) return 'pages';
  return name.startsWith(DATA_FILE) ? 'temporary: a create in progress' : 'other';
}
