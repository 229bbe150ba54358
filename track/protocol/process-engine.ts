/**
 * process-engine.ts: an engine that is another program, spoken to in the JSON-lines protocol
 * of PROTOCOL.md. One instance is one running process on one directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { toHex, fromHex } from '../../engines/bytes.js';
import type { BatchOp, Range } from '../../engines/index.js';

/** A reply line. */
interface Reply {
  id: number;
  ok: boolean;
  value?: string | null;
  pairs?: [string, string][];
  code?: string;
  message?: string;
}

/** An error the engine process reported, with its code. */
export class ProcessError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** A key or value as hex. */
const hex = (b: Uint8Array | string) => toHex(typeof b === 'string' ? new TextEncoder().encode(b) : b);

/** A running engine process. */
export class ProcessEngine {
  private next = 1;
  private waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private buffer = '';
  private exited: Promise<number | null>;
  private stderr = '';
  private dead = false;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    child.on('exit', () => {
      this.dead = true;
      for (const w of this.waiting.values())
        w.reject(new Error(`the engine process exited${this.stderr ? `; its stderr:\n${this.stderr}` : ''}`));
      this.waiting.clear();
    });
  }

  /** Starts `command` on `dir` and waits for its ready line. */
  static async start(command: string[], dir: string, timeoutMs = 10_000): Promise<ProcessEngine> {
    const child = spawn(command[0]!, [...command.slice(1), dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    const engine = new ProcessEngine(child);
    const ready = new Promise<Reply>((resolve, reject) => {
      engine.waiting.set(0, { resolve, reject });
      setTimeout(
        () =>
          reject(
            new Error(`no ready line within ${timeoutMs} ms${engine.stderr ? `; stderr:\n${engine.stderr}` : ''}`),
          ),
        timeoutMs,
      ).unref();
    });
    child.stdout!.on('data', (d: Buffer) => engine.onData(d.toString()));
    await ready;
    return engine;
  }

  /** Splits stdout into lines and hands each reply to its waiting request. */
  private onData(text: string): void {
    this.buffer += text;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (!line) continue;
      let msg: Reply & { ready?: boolean };
      try {
        msg = JSON.parse(line);
      } catch {
        for (const w of this.waiting.values())
          w.reject(new Error(`the engine printed a line that is not JSON: ${line.slice(0, 200)}`));
        this.waiting.clear();
        continue;
      }
      const id = msg.ready ? 0 : msg.id;
      const w = this.waiting.get(id);
      this.waiting.delete(id);
      w?.resolve(msg);
    }
  }

  /** Sends one request and waits for its reply; a failure reply throws ProcessError. */
  private async request(body: Record<string, unknown>): Promise<Reply> {
    if (this.dead) throw new Error('the engine process is not running');
    const id = this.next++;
    const reply = new Promise<Reply>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.child.stdin!.write(`${JSON.stringify({ id, ...body })}\n`);
    const r = await reply;
    if (!r.ok) throw new ProcessError(r.code ?? 'KV_UNKNOWN', r.message ?? '');
    return r;
  }

  async put(key: Uint8Array | string, value: Uint8Array | string): Promise<void> {
    await this.request({ op: 'put', key: hex(key), value: hex(value) });
  }

  async get(key: Uint8Array | string): Promise<Uint8Array | undefined> {
    const r = await this.request({ op: 'get', key: hex(key) });
    return r.value === null || r.value === undefined ? undefined : fromHex(r.value);
  }

  async delete(key: Uint8Array | string): Promise<void> {
    await this.request({ op: 'delete', key: hex(key) });
  }

  async batch(ops: BatchOp[]): Promise<void> {
    await this.request({
      op: 'batch',
      ops: ops.map((o) =>
        o.type === 'put' ? { type: 'put', key: hex(o.key), value: hex(o.value) } : { type: 'delete', key: hex(o.key) },
      ),
    });
  }

  async scan(range: Range = {}): Promise<[Uint8Array, Uint8Array][]> {
    const body: Record<string, unknown> = { op: 'scan' };
    for (const b of ['gt', 'gte', 'lt', 'lte'] as const) if (range[b] !== undefined) body[b] = hex(range[b]!);
    if (range.reverse !== undefined) body.reverse = range.reverse;
    if (range.limit !== undefined) body.limit = range.limit;
    const r = await this.request(body);
    return (r.pairs ?? []).map(([k, v]) => [fromHex(k), fromHex(v)]);
  }

  async sync(): Promise<void> {
    await this.request({ op: 'sync' });
  }

  async compact(): Promise<void> {
    await this.request({ op: 'compact' });
  }

  /** Asks the engine to close, and waits for it to exit. */
  async close(): Promise<void> {
    await this.request({ op: 'close' });
    await this.exited;
  }

  /** Kills the process with SIGKILL (a crash: nothing is flushed), and waits for it to die. */
  async kill(): Promise<void> {
    if (!this.dead) this.child.kill('SIGKILL');
    await this.exited;
  }
}
