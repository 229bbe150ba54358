/**
 * fields.ts: btree.db split into its fields, page by page, by the engine's own describer
 * (engines/btree/layout.ts), the page size as open finds it (engines/btree/meta.ts), and what
 * each file is.
 */
import { DATA_FILE } from '../../../../engines/btree/format.js';
import { pageSizeOf } from '../../../../engines/btree/meta.js';
import type { FieldSpan } from '../../adapter.js';
import { engineFields } from '../../fields.js';

/** The page size of a btree.db's bytes, as open finds it (from meta page 0, or else 1). */
export function filePageSize(bytes: Uint8Array): number | undefined {
  return pageSizeOf((at, n) => bytes.subarray(at, at + n), DATA_FILE);
}

/** The fields of one of the store's files (btree.db, or btree.db.new while a create runs); a page's fields are that page's record. */
export function btreeFileFields(name: string, bytes: Uint8Array): FieldSpan[] {
  return name.startsWith(DATA_FILE) ? engineFields('btree', name, bytes) : [];
}

/** What the engine calls a file. */
export function btreeFileRole(name: string): string {
  if (name === DATA_FILE) return 'pages';
  return name.startsWith(DATA_FILE) ? 'temporary: a create in progress' : 'other';
}
