/**
 * probe.ts: the workbench's `probe <n> [prefix]`: n gets of keys that no `fill` made, and what
 * they cost, counted from the trace events those gets emitted. No DOM here.
 *
 * The keys are prefix0001, prefix0002...: four digits, so they sort among fill's three-digit
 * keys (key0055 lies between key005 and key006) and fall inside the key range of the tables
 * that hold them. For an LSM that makes every table's bloom filter answer: each "no" saves a
 * block read, each "maybe" for a key that is not there is a false positive, a block read for
 * nothing. The rate measured here is the one `bloomBitsPerKey` sets.
 */
import type { StepEvent } from './step.js';

/** The counts a probe's events add up to. */
export interface ProbeCounts {
  gets: number;
  /** Probe keys that turned out to exist (the reader put one by hand). */
  found: number;
  /** LSM: tables skipped because the key is outside their key range. */
  skipped: number;
  /** LSM: bloom filter answers. */
  filterNo: number;
  filterMaybe: number;
  /** LSM: "maybe" answers for keys that were not there. */
  falsePositives: number;
  /** LSM: data blocks read, and how many of them came from the block cache. */
  blocks: number;
  cacheHits: number;
  /** Every file read the gets made. */
  diskReads: number;
}

/** Adds up what the gets of a probe did, from their events in order. */
export function probeCounts(events: readonly StepEvent[]): ProbeCounts {
  const c: ProbeCounts = {
    gets: 0,
    found: 0,
    skipped: 0,
    filterNo: 0,
    filterMaybe: 0,
    falsePositives: 0,
    blocks: 0,
    cacheHits: 0,
    diskReads: 0,
  };
  // The "maybe" answers of the get in progress: false positives unless the key is found.
  let maybes = 0;
  let hit = false;
  for (const e of events) {
    switch (e.type) {
      case 'op':
        if (e.op !== 'get') break;
        if (e.phase === 'begin') {
          maybes = 0;
          hit = false;
        } else {
          c.gets++;
          if (hit) c.found++;
          else c.falsePositives += maybes;
        }
        break;
      case 'io':
        if (e.call === 'read' && !e.error) c.diskReads++;
        break;
      case 'lsm.get.skip':
        c.skipped++;
        break;
      case 'lsm.bloom':
        if (e.answer === 'no') c.filterNo++;
        else {
          c.filterMaybe++;
          maybes++;
        }
        break;
      case 'lsm.block.read':
        c.blocks++;
        if (e.cache === 'hit') c.cacheHits++;
        break;
      case 'lsm.get.found':
        if (e.result === 'value') hit = true;
        break;
    }
  }
  return c;
}

/** A percentage with one decimal. */
function pct(n: number, of: number): string {
  return of > 0 ? `${((100 * n) / of).toFixed(1)}%` : '—';
}

/** The lines the console prints for a probe of `count` keys from `first` to `last`. */
export function probeReport(c: ProbeCounts, first: string, last: string): string[] {
  const out = [
    `probed ${c.gets} keys that no fill made (${first} .. ${last}): ${c.gets - c.found} not found${c.found ? `, ${c.found} happened to exist` : ''}`,
  ];
  const asked = c.filterNo + c.filterMaybe;
  if (asked > 0 || c.skipped > 0) {
    out.push(`tables skipped by key range: ${c.skipped}; bloom filters asked: ${asked}`);
    // Only absent keys can be false positives: the rate is over the filter checks of absent keys.
    const absentChecks = c.filterNo + c.falsePositives;
    out.push(
      `filter said "no" ${c.filterNo} times (no disk read); false positives: ${c.falsePositives} (said "maybe", a block read for nothing): ${pct(c.falsePositives, absentChecks)} of checks`,
    );
    out.push(`data blocks read: ${c.blocks} (${c.cacheHits} from the block cache); file reads: ${c.diskReads}`);
  } else out.push(`file reads: ${c.diskReads} for ${c.gets} gets`);
  return out;
}
