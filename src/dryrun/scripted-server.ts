import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplyEnv } from './reply.js';
import { builtinScenarios, pickStep } from './scenarios.js';
import type { Scenario, Step, StepContext } from './scenarios.js';
import { parseVars } from './transcript.js';

/**
 * The API-independent half of a scripted fake model (OpenAI Responses, Anthropic Messages, Gemini):
 * HTTP plumbing, scenario choice and request recording. Each API brings how to read a request and
 * how to render one step as its own wire format; the scripts themselves are the shared
 * `builtinScenarios`.
 */

/** What a fake server needs from one model request, whatever the API. */
export interface TurnRequest {
  scenario: string;
  /** Text of the user message that selected the scenario. */
  task: string;
  /** Outputs of the tool calls after `task`, oldest first, as plain text. */
  toolOutputs: string[];
  /** Names of the tools the client offered (e.g. Bash, Write, run_shell_command). */
  tools: string[];
  /** The working directory the client told the model about, when it did. */
  cwd: string | null;
  /** The sandbox the client said it runs commands in (only codex does, in a header). */
  sandboxMode?: string | null;
}

/** Per-request facts an API renderer needs besides the step. */
export interface AgentReplyEnv extends ReplyEnv {
  tools: readonly string[];
  cwd: string | null;
}

/** Tokens a reply reported, recorded so tests can compare them with what the CLI summed up. */
export interface ReportedUsage {
  input: number;
  output: number;
}

// One request a client made, kept so tests can assert on what it sent (sandbox, prompt, history).
export interface RecordedRequest {
  scenario: string;
  step: number;
  sandboxMode: string | null;
  lastUserText: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** One request an agent CLI made, plus the path it called, the tools it offered and the usage it got. */
export interface AgentRecordedRequest extends RecordedRequest {
  path: string;
  tools: string[];
  usage: ReportedUsage | null;
}

/** How one wire API is read and written; the server does the rest. */
export interface ScriptedApi {
  /** 'turn' = a model turn to script, 'side' = a helper call answered by `side`, null = 404. */
  classify(method: string, pathname: string): 'turn' | 'side' | null;
  read(body: unknown, headers: IncomingHttpHeaders): TurnRequest;
  /** Renders one step; resolves with the usage it reported (null when it reported none). */
  reply(res: ServerResponse, step: Step, env: AgentReplyEnv): Promise<ReportedUsage | null>;
  side(res: ServerResponse, pathname: string, body: unknown): void;
  error(res: ServerResponse, status: number, message: string): void;
}

/** A running scripted fake; clients are pointed at `origin` (plus the API's own path prefix). */
export interface ScriptedServer {
  /** e.g. http://127.0.0.1:PORT */
  readonly origin: string;
  readonly port: number;
  readonly requests: AgentRecordedRequest[];
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Scenarios given here replace built-ins of the same name. */
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

/** A step with its `delayMs` and `reasoning` wrappers taken off (waiting out the delays). */
export type TerminalStep = Exclude<Step, { delayMs: number } | { reasoning: string }>;

/** A step ready to render: its delays waited out, its reasoning collected. */
export interface SettledStep {
  step: TerminalStep;
  reasoning: string[];
}

// Why: every API renders reasoning as its own part, but waits and unwrapping are the same.
async function unwrapStep(first: Step, signal: AbortSignal): Promise<SettledStep> {
  const reasoning: string[] = [];
  let step = first;
  for (;;) {
    if ('delayMs' in step) {
      await sleep(step.delayMs, undefined, { signal });
      step = step.then;
    } else if ('reasoning' in step) {
      reasoning.push(step.reasoning);
      step = step.then;
    } else {
      return { step, reasoning };
    }
  }
}

/** Renders a settled step as one API's reply; returns the usage it reported (null when none). */
export type SettledRenderer = (
  res: ServerResponse,
  settled: SettledStep,
  env: AgentReplyEnv,
) => Promise<ReportedUsage | null> | ReportedUsage | null;

/**
 * Makes a `ScriptedApi.reply` from a renderer of settled steps: delays are waited out, a failure
 * while unwrapping becomes a failed response, and nothing is rendered once the client left or the
 * server closed.
 */
export function settledReply(render: SettledRenderer): ScriptedApi['reply'] {
  return async (res, first, env) => {
    let settled: SettledStep;
    try {
      settled = await unwrapStep(first, env.signal);
    } catch (error) {
      if (env.signal.aborted) return null;
      const message = error instanceof Error ? error.message : String(error);
      settled = { step: { responseFailed: `dry-run scenario error: ${message}` }, reasoning: [] };
    }
    return render(res, settled, env);
  };
}

/** The text of a `say` step, or a `patch`/`exec` step's argument, computed for this request. */
export function stepText(value: string | ((ctx: StepContext) => string), ctx: StepContext): string {
  return typeof value === 'function' ? value(ctx) : value;
}

// Why: a hung scripted reply must keep the connection open until the client gives up or we close.
export function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
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

// Why: dry runs and tests drive real agent CLIs with scripted, deterministic replies in their own API.
export async function startScriptedServer(
  api: ScriptedApi,
  opts: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const scenarios: Record<string, Scenario> = { ...builtinScenarios, ...opts.scenarios };
  const requests: AgentRecordedRequest[] = [];
  const seenTasks = new Map<string, number>();
  const closing = new AbortController();
  let sequence = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://fake').pathname;
    const kind = api.classify(req.method ?? 'GET', pathname);
    if (kind === null) {
      req.resume();
      return api.error(res, 404, `dry-run server: no route for ${req.method ?? '?'} ${req.url ?? ''}`);
    }
    const { json, bytes } = await readBody(req);
    if (kind === 'side') return api.side(res, pathname, json);
    const turn = api.read(json, req.headers);
    const sandboxMode = turn.sandboxMode ?? null;
    const requestCount = (seenTasks.get(turn.task) ?? 0) + 1;
    seenTasks.set(turn.task, requestCount);
    const ctx: StepContext = {
      task: turn.task,
      vars: parseVars(turn.task),
      lastToolOutput: turn.toolOutputs.at(-1) ?? '',
      toolOutputs: turn.toolOutputs,
      sandboxMode,
      step: turn.toolOutputs.length,
      requestCount,
    };
    const record: AgentRecordedRequest = {
      scenario: turn.scenario,
      step: ctx.step,
      sandboxMode,
      lastUserText: turn.task,
      body: json,
      headers: { ...req.headers },
      path: pathname,
      tools: turn.tools,
      usage: null,
    };
    requests.push(record);
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const signal = AbortSignal.any([gone.signal, closing.signal]);
    const env = {
      ctx,
      id: String(++sequence),
      requestBytes: bytes,
      signal,
      tools: turn.tools,
      cwd: turn.cwd,
    };
    record.usage = await api.reply(res, chooseStep(scenarios, turn.scenario, ctx), env);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof BadRequest) return api.error(res, 400, `dry-run server: ${message}`);
      if (!res.headersSent) return api.error(res, 500, `dry-run scenario error: ${message}`);
      res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  // Why: with Node's 5 s default, a client reusing a kept-alive socket just as the server drops it
  // gets ECONNRESET, which an agent CLI run without retries reports as a failed worker.
  server.keepAliveTimeout = 10 * 60_000;
  const port = await listen(server, opts.port ?? 0);

  return {
    origin: `http://127.0.0.1:${port}`,
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

/** A running scripted server plus the worker environment that points one or more CLIs at it. */
export interface AgentDryRun {
  server: ScriptedServer;
  /** Environment for the workers of the backends this fake serves; merge it into the dry-run env. */
  env: Record<string, string>;
  close(): Promise<void>;
}
