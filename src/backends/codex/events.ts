import { z } from 'zod';
import type { BatonEvent } from '../../events.js';

/** How much command output an event keeps; the full output stays in the transcript. */
const MAX_EVENT_OUTPUT = 4000;

const usage = z.object({
  input_tokens: z.number().default(0),
  cached_input_tokens: z.number().default(0),
  output_tokens: z.number().default(0),
  reasoning_output_tokens: z.number().default(0),
});

const item = z.discriminatedUnion('type', [
  z.object({ type: z.literal('agent_message'), text: z.string() }),
  z.object({ type: z.literal('reasoning'), text: z.string() }),
  z.object({
    type: z.literal('command_execution'),
    command: z.string(),
    aggregated_output: z.string().default(''),
    exit_code: z.number().nullable().default(null),
    status: z.string(),
  }),
  z.object({
    type: z.literal('file_change'),
    changes: z.array(z.object({ path: z.string(), kind: z.string() })),
    status: z.string(),
  }),
  z.object({
    type: z.literal('mcp_tool_call'),
    server: z.string(),
    tool: z.string(),
    status: z.string(),
    error: z.object({ message: z.string() }).nullable().default(null),
  }),
  z.object({ type: z.literal('web_search'), query: z.string() }),
  z.object({
    type: z.literal('todo_list'),
    items: z.array(z.object({ text: z.string(), completed: z.boolean() })),
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);

const event = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thread.started'), thread_id: z.string() }),
  z.object({ type: z.literal('turn.started') }),
  z.object({ type: z.literal('turn.completed'), usage: usage.default(usage.parse({})) }),
  z.object({ type: z.literal('turn.failed'), error: z.object({ message: z.string() }) }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({
    type: z.enum(['item.started', 'item.updated', 'item.completed']),
    item: z.looseObject({ type: z.string() }),
  }),
]);

const KNOWN_ITEM_TYPES: ReadonlySet<string> = new Set(item.options.map((o) => o.shape.type.value));

function tail(text: string): string {
  return text.length > MAX_EVENT_OUTPUT ? `…${text.slice(text.length - MAX_EVENT_OUTPUT)}` : text;
}

function fromItem(phase: 'item.started' | 'item.updated' | 'item.completed', raw: unknown): BatonEvent[] {
  const parsed = item.safeParse(raw);
  if (!parsed.success) {
    const type = z.object({ type: z.string() }).safeParse(raw);
    // Item types codex may add later (collab_tool_call, …) are skipped, not errors.
    if (type.success && !KNOWN_ITEM_TYPES.has(type.data.type)) return [];
    return [{ type: 'error', message: `unrecognised codex item: ${parsed.error.message}`, fatal: false }];
  }
  const it = parsed.data;
  const done = phase === 'item.completed';
  switch (it.type) {
    case 'agent_message':
      return done ? [{ type: 'message', text: it.text }] : [];
    case 'reasoning':
      return done ? [{ type: 'reasoning', text: it.text }] : [];
    case 'command_execution':
      if (phase === 'item.started') return [{ type: 'command.started', command: it.command }];
      return done
        ? [
            {
              type: 'command.completed',
              command: it.command,
              exitCode: it.exit_code,
              status: it.status,
              output: tail(it.aggregated_output),
            },
          ]
        : [];
    case 'file_change':
      return done ? [{ type: 'file_change', changes: it.changes, status: it.status }] : [];
    case 'mcp_tool_call':
      return done
        ? [
            {
              type: 'mcp_call',
              server: it.server,
              tool: it.tool,
              status: it.status,
              error: it.error?.message ?? null,
            },
          ]
        : [];
    case 'web_search':
      return done ? [{ type: 'web_search', query: it.query }] : [];
    case 'todo_list':
      return [{ type: 'todo_list', items: it.items }];
    case 'error':
      return done ? [{ type: 'error', message: it.message, fatal: false }] : [];
    default: {
      const never: never = it;
      return never;
    }
  }
}

/**
 * Maps one line of `codex exec --json` output to baton events. Non-JSON noise (a PTY's stderr,
 * backtraces) gives []; JSON that does not fit codex's schema becomes a named `error` event.
 */
export function parseCodexLine(line: string): BatonEvent[] {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return [];
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return [];
  }
  const parsed = event.safeParse(json);
  if (!parsed.success) {
    const type = z.object({ type: z.string() }).safeParse(json);
    if (
      type.success &&
      !['thread.started', 'turn.completed', 'turn.failed', 'error'].includes(type.data.type)
    ) {
      return []; // an event type this version of baton does not know yet
    }
    return [{ type: 'error', message: `unrecognised codex event: ${trimmed.slice(0, 200)}`, fatal: false }];
  }
  const e = parsed.data;
  switch (e.type) {
    case 'thread.started':
      return [{ type: 'thread.started', threadId: e.thread_id }];
    case 'turn.started':
      return [{ type: 'turn.started' }];
    case 'turn.completed':
      return [
        {
          type: 'turn.completed',
          usage: {
            inputTokens: e.usage.input_tokens,
            cachedInputTokens: e.usage.cached_input_tokens,
            outputTokens: e.usage.output_tokens,
            reasoningTokens: e.usage.reasoning_output_tokens,
          },
        },
      ];
    case 'turn.failed':
      return [{ type: 'turn.failed', message: e.error.message }];
    case 'error':
      // Top-level errors are often transient ("Reconnecting... 1/5"); only turn.failed is fatal.
      return [{ type: 'error', message: e.message, fatal: false }];
    default:
      return fromItem(e.type, e.item);
  }
}
