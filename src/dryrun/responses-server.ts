import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendStep } from './reply.js';
import { builtinScenarios, pickStep } from './scenarios.js';
import type { Scenario, Step, StepContext } from './scenarios.js';
import { parseVars, readTranscript, sandboxModeOf } from './transcript.js';

// One request codex made, kept so tests can assert on what codex sent (sandbox, prompt, history).
export interface RecordedRequest {
  scenario: string;
  step: number;
  sandboxMode: string | null;
  lastUserText: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

// A running fake model; point codex's provider `base_url` at `baseUrl`.
export interface FakeModelServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

// Options for startFakeModel; scenarios given here replace built-ins of the same name.
export interface FakeModelOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  scenarios?: Record<string, Scenario>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

class BadRequest extends Error {}

async function readBody(req: IncomingMessage): Promise<{ json: unknown; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    bytes += buffer.length;
    if (bytes > MAX_BODY_BYTES) throw new BadRequest('request body too large');
    chunks.push(buffer);
  }
  try {
    return { json: JSON.parse(Buffer.concat(chunks).toString('utf8')), bytes };
  } catch {
    throw new BadRequest('request body is not JSON');
  }
}

function sendJson(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } }));
}

function isResponsesCall(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0];
  return req.method === 'POST' && (path === '/v1/responses' || path === '/v1/responses/');
}

/** The step for this request; an unknown name or a throwing scenario becomes a visible reply, not a crash. */
function chooseStep(scenarios: Record<string, Scenario>, name: string, ctx: StepContext): Step {
  const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined;
  if (scenario === undefined) {
    const known = Object.keys(scenarios).join(', ');
    return { say: `[dry-run] unknown scenario "${name}"; known scenarios: ${known}` };
  }
  try {
    return pickStep(scenario, ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { responseFailed: `dry-run scenario "${name}" threw: ${message}` };
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address: AddressInfo | string | null = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

// Why: dry runs and tests drive the real codex binary with scripted, deterministic model replies.
export async function startFakeModel(opts: FakeModelOptions = {}): Promise<FakeModelServer> {
  const scenarios: Record<string, Scenario> = { ...builtinScenarios, ...opts.scenarios };
  const requests: RecordedRequest[] = [];
  const seenTasks = new Map<string, number>();
  const closing = new AbortController();
  let sequence = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isResponsesCall(req)) {
      req.resume();
      return sendJson(res, 404, `dry-run server: no route for ${req.method ?? '?'} ${req.url ?? ''}`);
    }
    const { json, bytes } = await readBody(req);
    const transcript = readTranscript(json);
    const requestCount = (seenTasks.get(transcript.task) ?? 0) + 1;
    seenTasks.set(transcript.task, requestCount);
    const ctx: StepContext = {
      task: transcript.task,
      vars: parseVars(transcript.task),
      lastToolOutput: transcript.toolOutputs.at(-1) ?? '',
      toolOutputs: transcript.toolOutputs,
      sandboxMode: sandboxModeOf(req.headers['x-codex-turn-metadata']),
      step: transcript.toolOutputs.length,
      requestCount,
    };
    requests.push({
      scenario: transcript.scenario,
      step: ctx.step,
      sandboxMode: ctx.sandboxMode,
      lastUserText: ctx.task,
      body: json,
      headers: { ...req.headers },
    });
    const step = chooseStep(scenarios, transcript.scenario, ctx);
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const signal = AbortSignal.any([gone.signal, closing.signal]);
    await sendStep(res, step, { ctx, id: String(++sequence), requestBytes: bytes, signal });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof BadRequest) return sendJson(res, 400, `dry-run server: ${message}`);
      if (!res.headersSent) return sendJson(res, 500, `dry-run scenario error: ${message}`);
      res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  // Why: with Node's 5 s default, a client reusing a kept-alive socket just as the server drops it
  // gets ECONNRESET, which an agent CLI run without retries reports as a failed worker.
  server.keepAliveTimeout = 10 * 60_000;
  const port = await listen(server, opts.port ?? 0);

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
