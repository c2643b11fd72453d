import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Step, StepContext } from './scenarios.js';
import { estimateUsage, items, openStream, sseFrame } from './sse.js';
import type { OutputItem } from './sse.js';

// Per-request facts the renderer needs besides the step itself.
export interface ReplyEnv {
  ctx: StepContext;
  /** Unique per request; response, item and call ids derive from it. */
  id: string;
  requestBytes: number;
  /** Aborted when the client disconnects or the server closes. */
  signal: AbortSignal;
}

interface Pending {
  items: OutputItem[];
  text: string;
}

/** A step with the `delayMs`/`reasoning` wrappers removed. */
type Terminal = Exclude<Step, { delayMs: number } | { reasoning: string }>;
type ItemStep = Extract<
  Step,
  { exec: unknown } | { patch: unknown } | { say: unknown } | { poll: unknown } | { call: unknown }
>;

const HTTP_ERRORS: Record<number, { type: string; code: string }> = {
  400: { type: 'invalid_request_error', code: 'bad_request' },
  429: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
};

function text(value: string | ((ctx: StepContext) => string), ctx: StepContext): string {
  return typeof value === 'function' ? value(ctx) : value;
}

function sessionOf(value: number | ((ctx: StepContext) => number), ctx: StepContext): number {
  return typeof value === 'function' ? value(ctx) : value;
}

function itemFor(step: ItemStep, env: ReplyEnv): { item: OutputItem; text: string } {
  const callId = `call_${env.id}`;
  if ('exec' in step) {
    const cmd = text(step.exec, env.ctx);
    return { item: items.exec(callId, cmd), text: cmd };
  }
  if ('patch' in step) {
    const patch = text(step.patch, env.ctx);
    return { item: items.patch(callId, patch), text: patch };
  }
  if ('poll' in step) return { item: items.poll(callId, sessionOf(step.poll, env.ctx)), text: '' };
  if ('call' in step) {
    const args = typeof step.args === 'function' ? step.args(env.ctx) : step.args;
    return { item: items.call(callId, step.call, args, step.namespace), text: JSON.stringify(args) };
  }
  const said = text(step.say, env.ctx);
  return { item: items.message(`msg_${env.id}`, said), text: said };
}

function sendHttpError(res: ServerResponse, status: number): void {
  const kind = HTTP_ERRORS[status] ?? { type: 'server_error', code: 'server_error' };
  const message = `dry-run scripted HTTP ${status}`;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, ...kind, param: null } }));
}

function writeItems(res: ServerResponse, pending: Pending): void {
  for (const item of pending.items) res.write(sseFrame('response.output_item.done', { item }));
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Unwraps delays (waiting them out) and reasoning (collecting items) down to the step that ends the reply. */
async function unwrap(first: Step, env: ReplyEnv, pending: Pending): Promise<Terminal> {
  let step = first;
  for (;;) {
    if ('delayMs' in step) {
      await sleep(step.delayMs, undefined, { signal: env.signal });
      step = step.then;
    } else if ('reasoning' in step) {
      pending.items.push(items.reasoning(`rs_${env.id}_${pending.items.length}`, step.reasoning));
      pending.text += step.reasoning;
      step = step.then;
    } else {
      return step;
    }
  }
}

function isItemStep(step: Terminal): step is ItemStep {
  return 'exec' in step || 'patch' in step || 'say' in step || 'poll' in step || 'call' in step;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Why: turns one scripted step into exactly the HTTP/SSE bytes codex reacts to (success or failure mode).
export async function sendStep(res: ServerResponse, first: Step, env: ReplyEnv): Promise<void> {
  const pending: Pending = { items: [], text: '' };
  let step: Terminal;
  let final: { item: OutputItem; text: string } | null = null;
  try {
    step = await unwrap(first, env, pending);
    if (isItemStep(step)) final = itemFor(step, env);
  } catch (error) {
    if (env.signal.aborted) return;
    step = { responseFailed: `dry-run scenario error: ${errorText(error)}` };
  }
  if ('http' in step) return sendHttpError(res, step.http);
  const responseId = `resp_${env.id}`;
  openStream(res, responseId);
  writeItems(res, pending);
  if ('hang' in step) return waitForAbort(env.signal);
  if ('malformed' in step) {
    res.end('event: response.output_item.done\ndata: {not json\n\n');
  } else if ('responseFailed' in step) {
    const error = { code: 'server_error', message: step.responseFailed };
    res.end(sseFrame('response.failed', { response: { id: responseId, status: 'failed', error } }));
  } else if ('noCompleted' in step) {
    const item = items.message(`msg_${env.id}`, '[dry-run] this stream ends without response.completed');
    res.end(sseFrame('response.output_item.done', { item }));
  } else if (final !== null) {
    res.write(sseFrame('response.output_item.done', { item: final.item }));
    const usage = estimateUsage(env.requestBytes, pending.text.length + final.text.length);
    res.end(sseFrame('response.completed', { response: { id: responseId, status: 'completed', usage } }));
  }
}
