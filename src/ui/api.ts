import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BatonError, isEnded, type Engine } from '../index.js';
import { EventCache } from './event-cache.js';
import type { LiveFeed } from './live.js';
import type { DashboardModel } from './model.js';
import { readOutput } from './output.js';
import { latestAttempts, workerDetail, workerSummary } from './views.js';
import type { RunDetail, WorkerDetail, WorkersPage } from './wire.js';

/** How long a Stop waits for the store to record the end before it answers. */
const STOP_SETTLE_MS = 3000;

/** The page's JSON API under `/<token>/api/`. Every handler reads through the model or the Engine. */
export class Api {
  private readonly events: EventCache;

  constructor(
    private readonly engine: Engine,
    private readonly model: DashboardModel,
    private readonly live: LiveFeed,
  ) {
    this.events = new EventCache(engine);
  }

  async handle(req: IncomingMessage, res: ServerResponse, route: string, query: URLSearchParams) {
    try {
      const parts = route.split('/').filter(Boolean).map(decodeURIComponent);
      const post = parts.length === 3 && parts[0] === 'workers' && parts[2] === 'stop';
      if (post ? req.method !== 'POST' : req.method !== 'GET') {
        res.writeHead(405, { Allow: post ? 'POST' : 'GET', 'Content-Type': 'text/plain; charset=utf-8' });
        return res.end(post ? 'stop is a POST\n' : 'method not allowed\n');
      }
      if (parts[0] === 'stream' && parts.length === 1) return this.live.attach(req, res);
      this.model.poll();
      const body = await this.route(parts, query);
      if (body === undefined) return json(res, 404, { error: `no such endpoint: ${route}` });
      if (body instanceof Output) return body.send(res);
      json(res, 200, body);
    } catch (error) {
      fail(res, error);
    }
  }

  private async route(parts: string[], query: URLSearchParams): Promise<unknown> {
    const [what, id, sub] = parts;
    if (what === 'runs' && id === undefined) return this.model.runsPage(param(query, 'limit', 100, 5000));
    if (what === 'runs' && id !== undefined && sub === undefined) return this.run(id);
    if (what === 'workers' && id === undefined)
      return this.workers(query.get('run'), param(query, 'limit', 200, 100_000));
    if (what !== 'workers' || id === undefined) return undefined;
    if (sub === undefined) return this.worker(id);
    if (sub === 'events')
      return this.events.page(
        id,
        param(query, 'after', 0, Number.MAX_SAFE_INTEGER),
        param(query, 'limit', 2000, 5000),
      );
    if (sub === 'output') return this.output(id, query);
    if (sub === 'stop') return this.stop(id);
    return undefined;
  }

  private run(id: string): RunDetail {
    const found = this.model.run(id);
    if (!found) throw new BatonError('NOT_FOUND', `no run "${id}"`);
    const plan = this.engine.plans.show(id);
    return {
      rev: this.model.rev,
      run: found.summary,
      plan: { steps: plan.steps, history: plan.history },
      workers: this.model.workersOf(id),
      report: found.record.report,
    };
  }

  /** `run=<id>`: that run's workers; `run=none`: workers without a run; otherwise every worker. */
  private workers(run: string | null, limit: number): WorkersPage {
    const all =
      run === 'none' ? this.model.workersOf(null) : run ? this.model.workersOf(run) : this.model.allWorkers();
    const latest = latestAttempts(all).sort((a, b) => b.createdAt - a.createdAt);
    return { rev: this.model.rev, workers: latest.slice(0, limit), total: latest.length };
  }

  private worker(id: string): WorkerDetail {
    const record = this.engine.get(id);
    const attempts = this.engine.attempts(record.attemptOf ?? record.label).map((a) => workerSummary(a));
    return workerDetail(record, attempts, this.model.worker(id)?.waitingFor ?? null);
  }

  private output(id: string, query: URLSearchParams): Output {
    const record = this.engine.get(id);
    const stream = z.enum(['stdout', 'stderr']).parse(query.get('stream') ?? 'stdout');
    const from = query.has('from') ? param(query, 'from', 0, Number.MAX_SAFE_INTEGER) : undefined;
    return new Output(readOutput(this.engine.home.workerDir(record.label), stream, from));
  }

  private async stop(id: string) {
    const record = this.engine.get(id);
    if (isEnded(record.state)) {
      throw new BatonError('CONFLICT', `${id} already ended (${record.state})`);
    }
    const label = record.attemptOf ?? record.label;
    let [stopped] = await this.engine.stop([label], { reason: 'stopped from the dashboard' });
    // engine.stop can return while the wrapper is still writing the exit status: answer once
    // the store says the worker ended (or after a few seconds, with what it says then).
    for (let waited = 0; stopped && !isEnded(stopped.state) && waited < STOP_SETTLE_MS; waited += 25) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      stopped = this.engine.get(label);
    }
    this.model.poll();
    return stopped ? workerSummary(stopped) : undefined;
  }
}

/** A chunk of raw output: bytes in the body, offsets in headers. */
class Output {
  constructor(private readonly chunk: ReturnType<typeof readOutput>) {}

  send(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'no-store',
      'X-Baton-From': String(this.chunk.from),
      'X-Baton-Next': String(this.chunk.next),
      'X-Baton-Size': String(this.chunk.size),
    });
    res.end(this.chunk.data);
  }
}

function param(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const parsed = z.coerce.number().int().min(0).max(max).safeParse(raw);
  if (!parsed.success) throw new BatonError('BAD_INPUT', `${name} must be a whole number from 0 to ${max}`);
  return parsed.data;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

const STATUS: Partial<Record<string, number>> = { NOT_FOUND: 404, BAD_INPUT: 400, CONFLICT: 409 };

function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.end();
  if (error instanceof BatonError) return json(res, STATUS[error.code] ?? 500, { error: error.message });
  if (error instanceof z.ZodError)
    return json(res, 400, { error: error.issues[0]?.message ?? 'bad request' });
  if (error instanceof URIError) return json(res, 400, { error: 'malformed path' });
  json(res, 500, { error: (error as Error).message });
}
