/**
 * captions.ts: one line for each snapshot trace event, for the event list and the caption.
 */
import type { TraceEvent } from '../../../../engines/browser.js';
import type { SnapshotEvent } from '../../../../engines/snapshot/events.js';

/** The sentence for a snapshot event, or undefined for another engine's. */
export function describeSnapshot(event: TraceEvent): string | undefined {
  if (!event.type.startsWith('snapshot.')) return undefined;
  const e = event as SnapshotEvent;
  switch (e.type) {
    case 'snapshot.set':
      return `dict[${e.key}] = ${e.value} (memory only; ${e.unsaved} unsaved)`;
    case 'snapshot.delete':
      return `del dict[${e.key}]${e.existed ? '' : ' (was absent)'} (${e.unsaved} unsaved)`;
    case 'snapshot.save':
      return {
        write: `save (${e.reason}) 1/4: wrote all ${e.keys} keys, ${e.bytes} B, to ${e.file}`,
        sync: `save 2/4: fsync ${e.file}: its bytes are durable`,
        rename: `save 3/4: rename over ${e.file} (atomic)`,
        done: `save 4/4: fsync the directory: the rename is durable`,
      }[e.step];
    case 'snapshot.load':
      return `load: read ${e.file}, ${e.bytes} B, ${e.keys} keys into the dict`;
    case 'snapshot.clean':
      return `removed ${e.file}, left by a save a crash interrupted`;
    default:
      return undefined;
  }
}

/** The key a snapshot event is about. */
export function snapshotFocus(event: TraceEvent): string | undefined {
  if (event.type === 'snapshot.set' || event.type === 'snapshot.delete') return event.key;
  return undefined;
}
