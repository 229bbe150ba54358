import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { InstrumentedFileSystem, newCounters } from '../../engines/storage/instrumented.js';
import type { TraceEvent } from '../../engines/registry-types.js';
import { utf8 } from '../../engines/bytes.js';

describe('InstrumentedFileSystem', () => {
  it('counts bytes read and written and syncs', () => {
    const c = newCounters();
    const fs = new InstrumentedFileSystem(new MemoryFileSystem(), c, undefined);
    fs.mkdir('/d');
    const f = fs.open('/d/f', { create: true });
    f.append(utf8('hello'));
    f.write(5, utf8('!!'));
    f.read(0, 100);
    f.sync();
    fs.syncDir('/d');
    expect(c).toEqual({ bytesRead: 7, bytesWritten: 7, reads: 1, writes: 2, syncs: 2 });
  });

  it('traces each call with its bytes as hex, and failures with their errno', () => {
    const events: TraceEvent[] = [];
    const mem = new MemoryFileSystem();
    const fs = new InstrumentedFileSystem(mem, newCounters(), (e) => events.push(e));
    fs.mkdir('/d');
    const f = fs.open('/d/f', { create: true });
    f.append(utf8('hi'));
    f.read(0, 2);
    f.sync();
    fs.rename('/d/f', '/d/g');
    fs.remove('/d/g');
    mem.injectFault({ call: 'write', errno: 'ENOSPC' });
    expect(() => f.write(0, utf8('x'))).toThrow();
    expect(events).toEqual([
      { type: 'io', call: 'create', path: '/d/f' },
      { type: 'io', call: 'write', path: '/d/f', offset: 0, length: 2, hex: '6869' },
      { type: 'io', call: 'read', path: '/d/f', offset: 0, length: 2, hex: '6869' },
      { type: 'io', call: 'sync', path: '/d/f' },
      { type: 'io', call: 'rename', path: '/d/f', to: '/d/g' },
      { type: 'io', call: 'remove', path: '/d/g' },
      { type: 'io', call: 'write', path: '/d/f', offset: 0, length: 1, error: 'ENOSPC' },
    ]);
  });

  it('cuts the hex of a very large write and says so', () => {
    const events: TraceEvent[] = [];
    const fs = new InstrumentedFileSystem(new MemoryFileSystem(), newCounters(), (e) => events.push(e));
    fs.mkdir('/d');
    fs.open('/d/f', { create: true }).append(new Uint8Array(200_000));
    const w = events.find((e) => e.type === 'io' && e.call === 'write') as { hex: string; cut: boolean };
    expect(w.cut).toBe(true);
    expect(w.hex.length).toBe(2 * 64 * 1024);
  });
});
