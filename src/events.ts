import { z } from 'zod';

/**
 * Normalized events: every backend's output stream is mapped into this one union, which feeds the
 * store, `baton logs --events`, MCP and the dashboard. `type` is dotted, like codex's own events.
 */

/** Token usage, as the backend reports it (codex: cumulative totals for the whole thread). */
export const usageSchema = z.object({
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  /** USD spent so far, as the CLI priced it; absent when it reports no cost (codex, gemini). */
  costUsd: z.number().optional(),
});
export type Usage = z.infer<typeof usageSchema>;

/** Two usages added field by field; the cost is summed when either side has one. */
export function addUsage(total: Usage | null, more: Usage): Usage {
  if (total === null) return more;
  const priced = total.costUsd !== undefined || more.costUsd !== undefined;
  return {
    inputTokens: total.inputTokens + more.inputTokens,
    cachedInputTokens: total.cachedInputTokens + more.cachedInputTokens,
    outputTokens: total.outputTokens + more.outputTokens,
    reasoningTokens: total.reasoningTokens + more.reasoningTokens,
    ...(priced ? { costUsd: (total.costUsd ?? 0) + (more.costUsd ?? 0) } : {}),
  };
}

const endStateSchema = z.enum(['succeeded', 'failed', 'timed_out', 'cancelled', 'lost']);
const fileChangeSchema = z.object({ path: z.string(), kind: z.string() });
const todoItemSchema = z.object({ text: z.string(), completed: z.boolean() });
export type FileChange = z.infer<typeof fileChangeSchema>;
export type TodoItem = z.infer<typeof todoItemSchema>;

/** The schema of every normalized event; the store validates rows against it when reading. */
export const batonEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('worker.started'), pid: z.number() }),
  z.object({
    type: z.literal('worker.ended'),
    state: endStateSchema,
    reason: z.string().nullable(),
    exitCode: z.number().nullable(),
  }),
  z.object({ type: z.literal('thread.started'), threadId: z.string() }),
  z.object({ type: z.literal('turn.started') }),
  /** `usage` is the worker's total so far; null when `usage` events already counted it. */
  z.object({ type: z.literal('turn.completed'), usage: usageSchema.nullable() }),
  /** One model request's usage, to be added to the worker's total (opencode reports per step). */
  z.object({ type: z.literal('usage'), usage: usageSchema }),
  z.object({ type: z.literal('turn.failed'), message: z.string() }),
  z.object({ type: z.literal('message'), text: z.string() }),
  z.object({ type: z.literal('reasoning'), text: z.string() }),
  z.object({ type: z.literal('command.started'), command: z.string() }),
  z.object({
    type: z.literal('command.completed'),
    command: z.string(),
    exitCode: z.number().nullable(),
    status: z.string(),
    output: z.string(),
  }),
  z.object({ type: z.literal('file_change'), changes: z.array(fileChangeSchema), status: z.string() }),
  z.object({
    type: z.literal('mcp_call'),
    server: z.string(),
    tool: z.string(),
    status: z.string(),
    error: z.string().nullable(),
  }),
  z.object({ type: z.literal('web_search'), query: z.string() }),
  z.object({ type: z.literal('todo_list'), items: z.array(todoItemSchema) }),
  z.object({ type: z.literal('error'), message: z.string(), fatal: z.boolean() }),
]);
export type BatonEvent = z.infer<typeof batonEventSchema>;

/** The type names, for validating `--type` filters and DB rows. */
export type BatonEventType = BatonEvent['type'];

/** Where a worker is in its life. The last five are final. */
export type WorkerState = 'queued' | 'running' | EndState;

/** How a worker ended: exactly one of these, never "succeeded" by default. */
export type EndState = 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'lost';

export const END_STATES: readonly EndState[] = ['succeeded', 'failed', 'timed_out', 'cancelled', 'lost'];

/** True once a worker can no longer change state. */
export function isEnded(state: WorkerState): state is EndState {
  return (END_STATES as readonly string[]).includes(state);
}

/** One line a person can read for an event: used for `ps` activity and `logs --events`. */
export function describeEvent(event: BatonEvent): string {
  switch (event.type) {
    case 'worker.started':
      return `started (pid ${event.pid})`;
    case 'worker.ended':
      return `ended: ${event.state}${event.reason ? ` (${event.reason})` : ''}`;
    case 'thread.started':
      return `thread ${event.threadId}`;
    case 'turn.started':
      return 'turn started';
    case 'turn.completed':
      return event.usage === null ? 'turn completed' : `turn completed (${describeUsage(event.usage)})`;
    case 'usage':
      return `request used ${describeUsage(event.usage)}`;
    case 'turn.failed':
      return `turn failed: ${event.message}`;
    case 'message':
      return `message: ${oneLine(event.text)}`;
    case 'reasoning':
      return `reasoning: ${oneLine(event.text)}`;
    case 'command.started':
      return `$ ${oneLine(event.command)}`;
    case 'command.completed':
      return `$ ${oneLine(event.command)} → exit ${event.exitCode ?? '?'}`;
    case 'file_change':
      return `files ${event.status}: ${event.changes.map((c) => `${c.kind} ${c.path}`).join(', ')}`;
    case 'mcp_call':
      return `mcp ${event.server}.${event.tool}: ${event.status}${event.error ? ` (${event.error})` : ''}`;
    case 'web_search':
      return `web search: ${oneLine(event.query)}`;
    case 'todo_list':
      return `todo: ${event.items.filter((i) => i.completed).length}/${event.items.length} done`;
    case 'error':
      return `${event.fatal ? 'error' : 'warning'}: ${oneLine(event.message)}`;
    default: {
      const never: never = event;
      return String(never);
    }
  }
}

function describeUsage(usage: Usage): string {
  const tokens = `${usage.inputTokens} in / ${usage.outputTokens} out tokens`;
  return usage.costUsd === undefined ? tokens : `${tokens}, $${usage.costUsd.toFixed(4)}`;
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
