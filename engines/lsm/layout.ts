/**
 * layout.ts: any file of an lsm store as named spans (engines/layout.ts), chosen by its name:
 * a write-ahead log or a manifest (log-layout.ts), an SSTable (table-layout.ts), or CURRENT
 * and CURRENT.tmp (here). The byte tables are in format.ts.
 */
import { fieldGroup, malformed, span, type Group } from '../layout.js';
import { describeLogFile, describeManifestFile } from './log-layout.js';
import { parseName } from './names.js';
import { describeTableFile } from './table-layout.js';

/**
 * CURRENT (or CURRENT.tmp) as spans: the name of the live manifest, a pointer to that file,
 * then a newline. Anything else is malformed. Never throws.
 */
export function describeCurrentFile(bytes: Uint8Array): Group[] {
  if (bytes.length === 0) return [];
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  const name = text?.endsWith('\n') ? text.slice(0, -1) : undefined;
  if (name === undefined || parseName(name)?.kind !== 'manifest')
    return [malformed(0, bytes.length, 'not the name of a manifest and a newline')];
  return [
    fieldGroup('text', `names ${name}`, [
      span(0, bytes.length - 1, 'manifestName', 'pointer', { value: name, target: { file: name } }),
      span(bytes.length - 1, 1, 'newline', 'header', { value: '\n' }),
    ]),
  ];
}

/** Any file of an lsm store as spans, by its name; undefined for a name the engine does not use. */
export function describeLsmFile(name: string, bytes: Uint8Array): Group[] | undefined {
  const p = parseName(name);
  if (!p) return undefined;
  if (p.kind === 'log') return describeLogFile(bytes);
  if (p.kind === 'table') return describeTableFile(bytes);
  if (p.kind === 'manifest') return describeManifestFile(bytes);
  return describeCurrentFile(bytes);
}
