import { z } from 'zod';
import type { BatonEvent } from '../../events.js';
import { jsonLine, parseEventLine, tailOf } from '../support/cli.js';

const stats = z.looseObject({
  input_tokens: z.number().default(0),
  output_tokens: z.number().default(0),
  cached: z.number().default(0),
});

const event = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('init'), session_id: z.string() }),
  z.looseObject({ type: z.literal('message'), role: z.string(), content: z.string() }),
  z.looseObject({
    type: z.literal('tool_use'),
    tool_name: z.string(),
    parameters: z.record(z.string(), z.unknown()).default({}),
  }),
  z.looseObject({
    type: z.literal('tool_result'),
    tool_id: z.string(),
    status: z.string(),
    output: z.string().optional(),
    error: z.looseObject({ message: z.string() }).optional(),
  }),
  z.looseObject({ type: z.literal('error'), message: z.string() }),
  z.looseObject({
    type: z.literal('result'),
    status: z.string(),
    error: z.looseObject({ message: z.string() }).optional(),
    stats: stats.optional(),
  }),
]);
type GeminiEvent = z.infer<typeof event>;

const KNOWN = new Set(['init', 'message', 'tool_use', 'tool_result', 'error', 'result']);

const todos = z.array(z.looseObject({ description: z.string(), status: z.string() }));

function toolUse(name: string, params: Record<string, unknown>): BatonEvent[] {
  if (name === 'run_shell_command' && typeof params['command'] === 'string') {
    return [{ type: 'command.started', command: params['command'] }];
  }
  if (name === 'google_web_search' && typeof params['query'] === 'string') {
    return [{ type: 'web_search', query: params['query'] }];
  }
  if (name === 'write_todos') {
    const list = todos.safeParse(params['todos']);
    if (!list.success) return [];
    return [
      {
        type: 'todo_list',
        items: list.data.map((t) => ({ text: t.description, completed: t.status === 'completed' })),
      },
    ];
  }
  return [];
}

/** Shell results: Gemini CLI names the tool in the call id and reports a non-zero exit in the text. */
function toolResult(e: Extract<GeminiEvent, { type: 'tool_result' }>): BatonEvent[] {
  if (!e.tool_id.startsWith('run_shell_command')) return [];
  const output = e.output ?? e.error?.message ?? '';
  const code = /(?:exited with code:?|Exit Code:)\s*(\d+)/.exec(output)?.[1];
  const ok = e.status === 'success';
  return [
    {
      type: 'command.completed',
      command: '',
      exitCode: code !== undefined ? Number(code) : ok ? 0 : null,
      status: ok ? 'completed' : 'failed',
      output: tailOf(output),
    },
  ];
}

function map(e: GeminiEvent): BatonEvent[] {
  switch (e.type) {
    case 'init':
      return [{ type: 'thread.started', threadId: e.session_id }, { type: 'turn.started' }];
    case 'message':
      // Assistant text arrives in pieces (`delta: true`); the backend joins them when the run ends.
      return e.role === 'assistant' && e.content ? [{ type: 'message', text: e.content }] : [];
    case 'tool_use':
      return toolUse(e.tool_name, e.parameters);
    case 'tool_result':
      return toolResult(e);
    case 'error':
      return [{ type: 'error', message: e.message, fatal: false }];
    case 'result': {
      if (e.status !== 'success') {
        return [
          {
            type: 'turn.failed',
            message: `gemini: ${e.error?.message ?? `run ended with status ${e.status}`}`,
          },
        ];
      }
      const s = e.stats ?? stats.parse({});
      const usage = {
        inputTokens: s.input_tokens,
        cachedInputTokens: s.cached,
        outputTokens: s.output_tokens,
        reasoningTokens: 0,
      };
      return [{ type: 'turn.completed', usage }];
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

/**
 * The final answer from the end of the stream: Gemini CLI sends assistant text in pieces and no
 * event holds it whole, so the pieces after the last tool call (or session start) are joined.
 * Null when the text holds no assistant piece.
 */
export function joinedAnswer(stdout: string): string | null {
  let pieces: string[] | null = null;
  for (const line of stdout.split('\n')) {
    const parsed = event.safeParse(jsonLine(line));
    if (!parsed.success) continue;
    const e = parsed.data;
    if (e.type === 'init' || e.type === 'tool_use' || e.type === 'tool_result') pieces = null;
    if (e.type === 'message' && e.role === 'assistant') (pieces ??= []).push(e.content);
  }
  return pieces === null ? null : pieces.join('');
}

/** Maps one line of `gemini --output-format stream-json` to baton events (usage from `result.stats`). */
export function parseGeminiLine(line: string): BatonEvent[] {
  return parseEventLine('gemini', line, event, KNOWN, map);
}
