/**
 * captions.ts: one line for each B+tree trace event, for the event list and the captions.
 */
import type { TraceEvent } from '../../../../engines/browser.js';
import type { BtreeEvent } from '../../../../engines/btree/events.js';
import { pageId } from './memory.js';

/** The sentence for a B+tree event, or undefined for another engine's. */
export function describeBtree(event: TraceEvent): string | undefined {
  if (!event.type.startsWith('btree.')) return undefined;
  const e = event as BtreeEvent;
  switch (e.type) {
    case 'btree.open':
      return e.created
        ? `created ${e.file}: empty root leaf (page ${e.root}) and both meta pages, ${e.pageSize} B pages`
        : `open: meta page ${e.metaSlot} wins (txid ${e.txid}): root page ${e.root}, height ${e.height}, ${e.pages} pages, ${e.freePages} free`;
    case 'btree.pageRead':
      return `read ${e.kind} page ${e.page} from disk into the cache`;
    case 'btree.pageWrite':
      return `write ${e.kind} page ${e.page} (${{ commit: 'commit', evict: 'evicted dirty: spilled early', spill: 'dirty budget reached: spilled', overflow: 'overflow page of a big value', init: 'new file' }[e.reason]})`;
    case 'btree.cacheHit':
      return `cache hit: page ${e.page} is in memory, no disk read`;
    case 'btree.cacheMiss':
      return `cache miss: page ${e.page} is only on disk, it must be read`;
    case 'btree.evict':
      return `cache full: evict page ${e.page}, the least recently used${e.dirty ? ' (dirty: written first)' : ''}; ${e.cached} cached`;
    case 'btree.alloc':
      return `allocate page ${e.page} for a ${e.kind} page, ${e.from === 'freelist' ? 'reused from the free list' : 'at the end of the file'}`;
    case 'btree.cow':
      return `copy-on-write: committed ${e.kind} page ${e.from} is copied to page ${e.to}; page ${e.from} stays untouched on disk`;
    case 'btree.free':
      return `free page ${e.page} (${e.kind}): ${e.reusable === 'now' ? 'never committed, reusable at once' : 'pending: the last commit still uses it'}`;
    case 'btree.split':
      return `split ${e.leaf ? 'leaf' : 'branch'} page ${e.page}: ${e.leftKeys} keys (${e.leftFirst}…${e.leftLast}) stay, ${e.rightKeys} (${e.rightFirst}…${e.rightLast}) move to page ${e.right}; separator ${e.separator} goes up`;
    case 'btree.merge':
      return `merge ${e.leaf ? 'leaf' : 'branch'} page ${e.from} into page ${e.into} (${e.keys} keys); parent ${e.parent} loses an entry`;
    case 'btree.borrow':
      return `borrow: move ${e.moved} entries from page ${e.from} to page ${e.to}; new separator ${e.separator} in parent ${e.parent}`;
    case 'btree.root':
      return e.reason === 'split'
        ? `the root split: new root page ${e.to}, the tree is now ${e.height} levels high`
        : `root ${e.from} had one child: page ${e.to} is the root, height ${e.height}`;
    case 'btree.commit':
      return {
        pages: `commit txid ${e.txid} (${e.reason}) 1/4: write ${e.pages} dirty pages, all at fresh ids`,
        freelist: `commit 2/4: write the free list`,
        sync: `commit 3/4: fsync: every page the new meta will point at is durable`,
        meta: `commit 4/4: write meta page ${e.slot} (txid ${e.txid}, root ${e.root}) and fsync: the commit point`,
        done: `commit txid ${e.txid} done: a crash now reopens at this state`,
      }[e.step];
    case 'btree.recover': {
      // After a crash: what open cleaned up before the store could be used.
      const parts: string[] = [];
      if (e.tornMeta.length)
        parts.push(`meta page ${e.tornMeta.join(' and ')} was torn by the crash: open took the other one`);
      if (e.cutPages) parts.push(`cut ${e.cutPages} page${e.cutPages === 1 ? '' : 's'} past the page count`);
      if (e.rewrittenFreePages)
        parts.push(`rewrote ${e.rewrittenFreePages} half-written free page${e.rewrittenFreePages === 1 ? '' : 's'}`);
      return `recovery after a crash (the shutdown flag said dirty): ${parts.length ? parts.join('; ') : 'nothing to clean up'}`;
    }
    case 'btree.freelist':
      return `the commit is durable: ${e.released} pending pages are free to reuse (${e.free} free)`;
    default:
      return undefined;
  }
}

/** The cache row (page) a B+tree event is about. */
export function btreeFocus(event: TraceEvent): string | undefined {
  switch (event.type) {
    case 'btree.cacheHit':
    case 'btree.cacheMiss':
    case 'btree.pageRead':
    case 'btree.pageWrite':
    case 'btree.alloc':
    case 'btree.evict':
      return pageId(event.page);
    case 'btree.cow':
      return pageId(event.to);
    case 'btree.split':
      return pageId(event.right);
    case 'btree.merge':
      return pageId(event.into);
    case 'btree.borrow':
      return pageId(event.to);
    default:
      return undefined;
  }
}
