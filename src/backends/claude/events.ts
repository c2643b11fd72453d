import { z } from 'zod';
import type { BatonEvent, Usage } from '../../events.js';
import { parseEventLine, tailOf } from '../support/cli.js';

const usage = z.looseObject({
  input_tokens: z.number().default(0),
  cache_creation_input_tokens: z.number().default(0),
  cache_read_input_tokens: z.number().default(0),
  output_tokens: z.number().default(0),
  output_tokens_details: z.looseObject({ thinking_tokens: z.number().default(0) }).nullish(),
});

const block = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  thinking: z.string().optional(),
  name: z.string().optional(),
  input: z.record(z.string(), z.unknown()).optional(),
  content: z.union([z.string(), z.array(z.unknown())]).optional(),
  is_error: z.boolean().optional(),
});

const event = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('system'),
    subtype: z.string(),
    session_id: z.string().optional(),
    attempt: z.number().optional(),
    max_retries: z.number().optional(),
    error_status: z.number().nullish(),
    error: z.string().nullish(),
  }),
  z.looseObject({
    type: z.literal('assistant'),
    message: z.looseObject({ content: z.array(block).catch([]) }),
    error: z.string().optional(),
    is_api_error_message: z.boolean().optional(),
  }),
  z.looseObject({
    type: z.literal('user'),
    message: z.looseObject({ content: z.union([z.string(), z.array(block)]) }),
    tool_use_result: z.unknown().optional(),
  }),
  z.looseObject({
    type: z.literal('result'),
    subtype: z.string(),
    is_error: z.boolean().default(false),
    result: z.string().optional(),
    errors: z.array(z.string()).optional(),
    usage: usage.optional(),
    total_cost_usd: z.number().optional(),
    permission_denials: z
      .array(z.looseObject({ tool_name: z.string(), tool_input: z.unknown() }))
      .default([]),
  }),
]);
type ClaudeEvent = z.infer<typeof event>;

const KNOWN = new Set(['system', 'assistant', 'user', 'result']);

const todos = z.array(z.looseObject({ content: z.string(), status: z.string() }));
const bashResult = z.looseObject({ stdout: z.string(), stderr: z.string().default('') });
const fileResult = z.looseObject({ filePath: z.string(), type: z.string().optional() });

/**
 * Claude's usage excludes cache reads and writes from input_tokens; baton's input includes them.
 * The cost is the result line's `total_cost_usd`, the run's total as Claude Code priced it.
 */
export function claudeUsage(raw: z.infer<typeof usage>, costUsd?: number): Usage {
  return {
    inputTokens: raw.input_tokens + raw.cache_creation_input_tokens + raw.cache_read_input_tokens,
    cachedInputTokens: raw.cache_read_input_tokens,
    outputTokens: raw.output_tokens,
    reasoningTokens: raw.output_tokens_details?.thinking_tokens ?? 0,
    ...(costUsd === undefined ? {} : { costUsd }),
  };
}

function toolUse(name: string, input: Record<string, unknown>): BatonEvent[] {
  if (name === 'Bash' && typeof input['command'] === 'string') {
    return [{ type: 'command.started', command: input['command'] }];
  }
  if (name === 'TodoWrite') {
    const list = todos.safeParse(input['todos']);
    if (!list.success) return [];
    return [
      {
        type: 'todo_list',
        items: list.data.map((t) => ({ text: t.content, completed: t.status === 'completed' })),
      },
    ];
  }
  if (name === 'WebSearch' && typeof input['query'] === 'string')
    return [{ type: 'web_search', query: input['query'] }];
  const mcp = /^mcp__(.+?)__(.+)$/.exec(name);
  if (mcp?.[1] !== undefined && mcp[2] !== undefined) {
    return [{ type: 'mcp_call', server: mcp[1], tool: mcp[2], status: 'started', error: null }];
  }
  return [];
}

function blockText(content: string | unknown[] | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((b) => block.safeParse(b).data?.text ?? '').join('\n');
}

/**
 * A tool result: Bash output becomes command.completed (Claude's result line does not repeat the
 * command, so it is left empty; the matching command.started names it), file writes file_change.
 */
function toolResult(result: z.infer<typeof block>, detail: unknown): BatonEvent[] {
  const bash = bashResult.safeParse(detail);
  if (bash.success) {
    const failed = result.is_error === true;
    const code = /^Exit code (\d+)/.exec(blockText(result.content))?.[1];
    const output = [bash.data.stdout, bash.data.stderr].filter(Boolean).join('\n');
    return [
      {
        type: 'command.completed',
        command: '',
        exitCode: failed ? (code === undefined ? null : Number(code)) : 0,
        status: failed ? 'failed' : 'completed',
        output: tailOf(output),
      },
    ];
  }
  const file = fileResult.safeParse(detail);
  if (file.success && result.is_error !== true) {
    const kind = file.data.type === 'create' ? 'add' : 'update';
    return [{ type: 'file_change', changes: [{ path: file.data.filePath, kind }], status: 'completed' }];
  }
  return [];
}

function fromResult(e: Extract<ClaudeEvent, { type: 'result' }>): BatonEvent[] {
  const events: BatonEvent[] = [];
  if (e.permission_denials.length > 0) {
    const denied = e.permission_denials.map(
      (d) => `${d.tool_name}(${JSON.stringify(d.tool_input).slice(0, 80)})`,
    );
    events.push({
      type: 'error',
      message: `claude denied ${denied.length} tool call(s): ${denied.join(', ')}`,
      fatal: false,
    });
  }
  const total = claudeUsage(e.usage ?? usage.parse({}), e.total_cost_usd);
  if (e.subtype === 'success' && !e.is_error) return [...events, { type: 'turn.completed', usage: total }];
  const why = e.result ?? e.errors?.join('; ') ?? '';
  // A failed run was still billed: its totals count like a successful one's.
  const spent = total.inputTokens + total.outputTokens > 0 || (total.costUsd ?? 0) > 0;
  return [
    ...events,
    ...(spent ? [{ type: 'usage' as const, usage: total }] : []),
    { type: 'turn.failed', message: why ? `claude: ${why}` : `claude stopped: ${e.subtype}` },
  ];
}

function map(e: ClaudeEvent): BatonEvent[] {
  switch (e.type) {
    case 'system':
      if (e.subtype === 'init' && e.session_id)
        return [{ type: 'thread.started', threadId: e.session_id }, { type: 'turn.started' }];
      if (e.subtype === 'api_retry') {
        const what = e.error_status ? `HTTP ${e.error_status}` : (e.error ?? 'connection error');
        return [
          {
            type: 'error',
            message: `claude retrying after ${what} (attempt ${e.attempt ?? '?'}/${e.max_retries ?? '?'})`,
            fatal: false,
          },
        ];
      }
      return [];
    case 'assistant':
      if (e.error !== undefined || e.is_api_error_message) {
        return [
          { type: 'error', message: blockText(e.message.content) || (e.error ?? 'API error'), fatal: false },
        ];
      }
      return e.message.content.flatMap((b): BatonEvent[] => {
        if (b.type === 'text' && b.text) return [{ type: 'message', text: b.text }];
        if (b.type === 'thinking' && b.thinking) return [{ type: 'reasoning', text: b.thinking }];
        if (b.type === 'tool_use' && b.name) return toolUse(b.name, b.input ?? {});
        return [];
      });
    case 'user': {
      if (typeof e.message.content === 'string') return [];
      const results = e.message.content.filter((b) => b.type === 'tool_result');
      // The detailed result describes the message's tool result when there is exactly one.
      return results.length === 1 && results[0] ? toolResult(results[0], e.tool_use_result) : [];
    }
    case 'result':
      return fromResult(e);
    default: {
      const never: never = e;
      return never;
    }
  }
}

/**
 * Maps one line of `claude -p --output-format stream-json --verbose` to baton events. The final
 * answer is the last assistant text; the `result` line carries the verdict and the usage summed
 * over the run (the per-message usage on assistant lines is partial and is not used).
 */
export function parseClaudeLine(line: string): BatonEvent[] {
  return parseEventLine('claude', line, event, KNOWN, map);
}
