import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Changes, DashboardModel } from './model.js';
import type { LiveMessage } from './wire.js';

/** A comment line every so often keeps proxies and idle timers from closing the stream. */
const HEARTBEAT_MS = 15_000;
const LEASE_RENEW_MS = 1000;

/**
 * The live stream (server-sent events). One poll loop serves every open page: it runs only while
 * someone is connected, asks the model what changed, and sends each change once to all pages.
 */
export class LiveFeed {
  private readonly clients = new Set<ServerResponse>();
  private poller: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private releaseLease: (() => void) | undefined;
  private leaseAt = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly model: DashboardModel,
    private readonly pollMs: number,
  ) {
    this.unsubscribe = model.subscribe((c) => this.broadcastChanges(c));
  }

  /** Number of pages listening. */
  get size(): number {
    return this.clients.size;
  }

  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    req.on('close', () => this.detach(res));
    this.send(res, { type: 'hello', rev: this.model.rev, now: Date.now() });
    this.start();
  }

  private detach(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stop();
  }

  private start(): void {
    if (this.poller) return;
    this.poller = setInterval(() => this.tick(), this.pollMs);
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
  }

  private stop(): void {
    clearInterval(this.poller);
    clearInterval(this.heartbeat);
    this.poller = undefined;
    this.heartbeat = undefined;
    this.releaseLease?.();
    this.releaseLease = undefined;
    this.leaseAt = 0;
  }

  private tick(): void {
    try {
      // While we poll, we move the queue ourselves (as `baton wait` does), so workers that end
      // need not each start a `baton _dispatch` process: 32 ending at once stay cheap. Renewed
      // every second, since a `wait` in the same process removes the lease when it returns.
      if (Date.now() - this.leaseAt > LEASE_RENEW_MS && this.model.engine.exists) {
        this.releaseLease = this.model.engine.holdDispatcherLease();
        this.leaseAt = Date.now();
      }
      this.model.poll();
    } catch (error) {
      this.broadcast({ type: 'problem', message: (error as Error).message });
    }
  }

  private broadcastChanges(c: Changes): void {
    if (c.workers.length + c.removed.length > 0) {
      this.broadcast({ type: 'workers', rev: this.model.rev, upsert: c.workers, remove: c.removed });
    }
    if (c.runs.length > 0) this.broadcast({ type: 'runs', rev: this.model.rev, upsert: c.runs });
  }

  private broadcast(message: LiveMessage): void {
    for (const res of this.clients) this.send(res, message);
  }

  private send(res: ServerResponse, message: LiveMessage): void {
    res.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
  }

  close(): void {
    this.stop();
    this.unsubscribe();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
