/**
 * captions.ts: one line for each Bitcask trace event, for the event list and the caption.
 * Records are named by their sequence number, as the hex view names them.
 */
import type { TraceEvent } from '../../../../engines/browser.js';
import type { BitcaskEvent } from '../../../../engines/bitcask/events.js';

/** The sentence for a Bitcask event, or undefined for another engine's. */
export function describeBitcask(event: TraceEvent): string | undefined {
  if (!event.type.startsWith('bitcask.')) return undefined;
  const e = event as BitcaskEvent;
  switch (e.type) {
    case 'bitcask.append':
      return e.kind === 'put'
        ? `append a record (seq ${e.seq}: ${e.key} = ${e.value ?? ''}) to ${e.file} @${e.offset}, ${e.bytes} B`
        : `append a tombstone (seq ${e.seq}) for ${e.key} to ${e.file} @${e.offset}, ${e.bytes} B`;
    case 'bitcask.batch':
      return `append a batch of ${e.ops} records (seq ${e.firstSeq}…) to ${e.file} @${e.offset} in one write, ${e.bytes} B`;
    case 'bitcask.keydir':
      return e.action === 'set'
        ? `keydir[${e.key}] → ${e.file} @${e.valueOffset}, ${e.valueSize} B${e.dead ? ` (old record: ${e.dead} B now dead)` : ''}`
        : `keydir: remove ${e.key}${e.dead ? ` (${e.dead} B now dead)` : ''}`;
    case 'bitcask.lookup':
      return e.found
        ? `keydir says ${e.key} is in ${e.file} @${e.offset}: one read of ${e.bytes} B`
        : `keydir has no ${e.key}: no disk read at all`;
    case 'bitcask.rollover':
      return e.from === undefined
        ? `first write since open: start the active file ${e.to}`
        : `rollover: ${e.from} is full at ${e.size} B and sealed; new active file ${e.to}`;
    case 'bitcask.merge.start':
      return `merge (${e.reason}) of ${e.inputs.join(', ')}: ${e.deadBytes} of ${e.totalBytes} B are dead, ${e.liveKeys} live keys`;
    case 'bitcask.merge.copy':
      return `copy live ${e.key}: ${e.from} @${e.fromOffset} → ${e.to} @${e.toOffset}`;
    case 'bitcask.merge.output':
      return `merge output ${e.file} done: ${e.records} records, ${e.bytes} B, synced`;
    case 'bitcask.hint.write':
      return `hint file ${e.file}: ${e.entries} entries, ${e.bytes} B, synced`;
    case 'bitcask.merge.commit':
      return `MERGE marker says committed: ${e.outputs.join(', ')} now count`;
    case 'bitcask.merge.remove':
      return `remove merged input ${e.file}`;
    case 'bitcask.merge.done':
      return `merge done: ${e.bytesBefore} B → ${e.bytesAfter} B, ${e.removed} files removed`;
    case 'bitcask.merge.abort':
      return `merge aborted: ${e.error}`;
    case 'bitcask.recover.clean':
      return `recovery: removed ${e.file}, left by a crash`;
    case 'bitcask.recover.merge':
      return `recovery: ${e.action === 'finish' ? 'finished' : 'undid'} an interrupted merge, removed ${e.removed.join(', ') || 'nothing'}`;
    case 'bitcask.recover.hint':
      return `recovery: loaded ${e.entries} keydir entries from hint ${e.file} (data file not read)`;
    case 'bitcask.recover.badhint':
      return `recovery: hint ${e.file} not trusted (${e.reason}); scanning the data file`;
    case 'bitcask.recover.scan':
      return `recovery: scanned ${e.file}: ${e.records} records, ${e.bytes} B`;
    case 'bitcask.recover.truncate':
      return `recovery: cut ${e.dropped} B off ${e.file} at ${e.offset} (${e.reason})`;
    case 'bitcask.manifest':
      return `MANIFEST replaced (${e.reason}): ${e.sealed} sealed file${e.sealed === 1 ? '' : 's'}${e.active ? `, active ${e.active}` : ''}, ${e.bytes} B`;
    case 'bitcask.open':
      return `open done: ${e.files} file${e.files === 1 ? '' : 's'}, ${e.keys} key${e.keys === 1 ? '' : 's'}, next seq ${e.nextSeq}${e.active ? `, active ${e.active}` : ''}`;
    default:
      return undefined;
  }
}

/** The key a Bitcask event is about. */
export function bitcaskFocus(event: TraceEvent): string | undefined {
  switch (event.type) {
    case 'bitcask.keydir':
    case 'bitcask.lookup':
    case 'bitcask.append':
    case 'bitcask.merge.copy':
      return event.key;
    default:
      return undefined;
  }
}
