/**
 * captions.ts: one line for each LSM trace event, for the event list and the captions.
 */
import type { TraceEvent } from '../../../../engines/browser.js';
import type { LsmEvent } from '../../../../engines/lsm/events.js';

/** The sentence for an LSM event, or undefined for another engine's. */
export function describeLsm(event: TraceEvent): string | undefined {
  if (!event.type.startsWith('lsm.')) return undefined;
  const e = event as LsmEvent;
  switch (e.type) {
    case 'lsm.log.append':
      return `log: append ${e.ops === 1 ? 'one op' : `a batch of ${e.ops} ops`} (seq ${e.seq}) to ${e.file} @${e.offset}, ${e.bytes} B: durable at the next sync`;
    case 'lsm.log.new':
      return `new write-ahead log ${e.file}`;
    case 'lsm.memtable.insert':
      return `memtable: ${e.created ? 'insert' : 'replace'} ${e.key} (seq ${e.seq}, ${e.kind}) on ${e.height} skiplist level${e.height > 1 ? 's' : ''}; ${e.bytes} of ${e.limit} B`;
    case 'lsm.memtable.freeze':
      return `the memtable is full (${e.bytes} B, ${e.entries} entries): frozen, to be flushed; writes go to a new one`;
    case 'lsm.flush':
      return e.step === 'start'
        ? `flush: write the frozen memtable's ${e.entries} entries, in key order, to ${e.file}`
        : `flush done: ${e.file} (${e.bytes} B) is live; the old log is no longer needed`;
    case 'lsm.table.block':
      return e.block === 'data'
        ? `${e.file}: data block @${e.offset}, ${e.bytes} B, ${e.entries} entries ${e.firstKey}…${e.lastKey}`
        : e.block === 'filter'
          ? `${e.file}: bloom filter over ${e.entries} keys, ${e.bytes} B`
          : e.block === 'index'
            ? `${e.file}: index block, one entry per data block (${e.entries}), ${e.bytes} B`
            : `${e.file}: footer (where the index and filter are), ${e.bytes} B`;
    case 'lsm.table.written':
      return `${e.file} complete and synced: L${e.level}, ${e.entries} entries ${e.smallest}…${e.largest}, ${e.bytes} B`;
    case 'lsm.table.open':
      return `${e.file} opened${e.level !== undefined ? ` (L${e.level})` : ''}: its bloom filter and index, ${e.memoryBytes} B, stay in memory ${e.from === 'written' ? '(taken from the writer: nothing read)' : '(read from the file)'}`;
    case 'lsm.table.close':
      return `${e.file} closed: its filter and index leave memory (${e.reason})`;
    case 'lsm.get.memtable':
      return `get ${e.key}: the ${e.which === 'immutable' ? 'frozen memtable' : 'memtable'} ${e.found === 'no' ? 'does not have it' : e.found === 'value' ? 'has its value' : 'has a tombstone: deleted'}`;
    case 'lsm.get.skip':
      return `skip ${e.file} (L${e.level}): ${e.key} is outside its key range ${e.smallest}…${e.largest}, no I/O`;
    case 'lsm.bloom':
      return e.answer === 'no'
        ? `bloom filter of ${e.file} says NO: ${e.key} is certainly not there, no block read`
        : `bloom filter of ${e.file} says MAYBE for ${e.key}: read the block`;
    case 'lsm.index':
      return `index of ${e.file}: ${e.key} can only be in block ${e.block + 1} of ${e.blocks} (@${e.offset})`;
    case 'lsm.block.read':
      return `${e.file}: data block @${e.offset} (${e.entries} entries), ${e.cache === 'hit' ? 'from the block cache, no I/O' : 'read from disk'}`;
    case 'lsm.get.found':
      if ((e as { falsePositive?: boolean }).falsePositive)
        return `${e.file}: its filter said maybe, but ${e.key} is not there: a false positive cost one block read`;
      return e.source === 'none'
        ? `get ${e.key}: in no memtable and no table: absent`
        : `get ${e.key}: ${e.result} found in ${e.file ?? e.source}`;
    case 'lsm.compaction.runs':
      return `size-tiered: ${e.runs} sorted run${e.runs === 1 ? '' : 's'} in buckets of similar size, newest first: ${e.buckets.map((b) => `[${b.runs.join(' ')}] ≈${b.averageBytes} B`).join(' · ')}; a bucket of ${e.minThreshold} merges (at most ${e.maxRuns} runs)`;
    case 'lsm.compaction.pick':
      if (e.reason === 'tiered-size' || e.reason === 'tiered-runs') {
        return `size-tiered merge (${e.reason === 'tiered-size' ? 'a full bucket of similar-size runs' : 'too many runs'}): ${[...e.inputs, ...e.overlapping].join(', ')} → one new run in L${e.outputLevel}`;
      }
      return `compaction (${e.reason}, score ${e.score.toFixed(2)}): L${e.level} ${e.inputs.join(', ')}${e.overlapping.length ? ` + L${e.outputLevel} ${e.overlapping.join(', ')}` : ''} → L${e.outputLevel}${e.trivialMove ? ' (a move: no overlap, no rewrite)' : ''}`;
    case 'lsm.compaction.merge':
      return `compaction merged ${e.entriesIn} entries into ${e.entriesOut}: ${e.shadowed} older versions and ${e.tombstonesDropped} tombstones dropped, ${e.bytesIn} → ${e.bytesOut} B`;
    case 'lsm.compaction.install':
      return `install: L${e.outputLevel} gains ${e.added.join(', ')}; ${e.deleted.join(', ') || 'nothing'} removed from the version`;
    case 'lsm.file.delete':
      return `delete ${e.file} (${e.reason})`;
    case 'lsm.manifest.edit':
      return `manifest ${e.file}: edit${e.added.length ? ` +${e.added.join(', ')}` : ''}${e.deleted.length ? ` −${e.deleted.join(', ')}` : ''}${e.logNumber !== undefined ? `, log number ${e.logNumber}` : ''}, synced`;
    case 'lsm.recover':
      return `recovery (${e.step}): ${e.detail}`;
    default:
      return undefined;
  }
}

/** The memtable key an LSM event is about. */
export function lsmFocus(event: TraceEvent): string | undefined {
  switch (event.type) {
    case 'lsm.memtable.insert':
    case 'lsm.get.memtable':
    case 'lsm.get.found':
      return event.key;
    default:
      return undefined;
  }
}
