import { z } from 'zod';
import type { BatonEvent, Usage } from '../../events.js';
import { parseEventLine, tailOf } from '../support/cli.js';

const tokens = z.looseObject({
  input: z.number().default(0),
  output: z.number().default(0),
  reasoning: z.number().default(0),
  cache: z
    .looseObject({ read: z.number().default(0), write: z.number().default(0) })
    .default({ read: 0, write: 0 }),
});

const toolState = z.looseObject({
  status: z.string(),
  input: z.record(z.string(), z.unknown()).default({}),
  output: z.string().optional(),
  error: z.string().optional(),
  metadata: z.looseObject({ exit: z.number().nullish() }).optional(),
});

const event = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('step_start'), sessionID: z.string() }),
  z.looseObject({ type: z.literal('text'), part: z.looseObject({ text: z.string() }) }),
  z.looseObject({ type: z.literal('reasoning'), part: z.looseObject({ text: z.string() }) }),
  z.looseObject({ type: z.literal('tool_use'), part: z.looseObject({ tool: z.string(), state: toolState }) }),
  z.looseObject({
    type: z.literal('step_finish'),
    part: z.looseObject({ reason: z.string(), tokens: tokens.optional(), cost: z.number().optional() }),
  }),
  z.looseObject({
    type: z.literal('error'),
    error: z.looseObject({
      name: z.string().default('Error'),
      data: z.looseObject({ message: z.string().optional(), statusCode: z.number().optional() }).default({}),
    }),
  }),
]);
type OpencodeEvent = z.infer<typeof event>;

const KNOWN = new Set(['step_start', 'text', 'reasoning', 'tool_use', 'step_finish', 'error']);

const todos = z.array(z.looseObject({ content: z.string(), status: z.string() }));

/**
 * One step's usage. opencode splits cache reads/writes and reasoning out; baton's input and output
 * include them. `cost` is what opencode priced the step at (0 for models it has no price for).
 */
export function opencodeUsage(raw: z.infer<typeof tokens>, cost?: number): Usage {
  return {
    inputTokens: raw.input + raw.cache.read + raw.cache.write,
    cachedInputTokens: raw.cache.read,
    outputTokens: raw.output + raw.reasoning,
    reasoningTokens: raw.reasoning,
    ...(cost === undefined ? {} : { costUsd: cost }),
  };
}

/** Each step is one model request, so every step's tokens and cost add to the run's usage. */
function stepFinish(part: Extract<OpencodeEvent, { type: 'step_finish' }>['part']): BatonEvent[] {
  const spent: BatonEvent[] =
    part.tokens === undefined && part.cost === undefined
      ? []
      : [{ type: 'usage', usage: opencodeUsage(part.tokens ?? tokens.parse({}), part.cost) }];
  // A step that ends in tool calls is not the turn's end: the next step answers the tool results.
  if (part.reason === 'tool-calls') return spent;
  if (part.reason !== 'stop')
    return [...spent, { type: 'turn.failed', message: `opencode: the model stopped (${part.reason})` }];
  return [...spent, { type: 'turn.completed', usage: null }];
}

/** opencode prints a tool part once it has finished, so one line gives both ends of a command. */
function toolUse(tool: string, state: z.infer<typeof toolState>): BatonEvent[] {
  const input = state.input;
  const str = (key: string) => (typeof input[key] === 'string' ? input[key] : undefined);
  const command = str('command');
  if (tool === 'bash' && command !== undefined) {
    const ok = state.status === 'completed';
    return [
      { type: 'command.started', command },
      {
        type: 'command.completed',
        command,
        exitCode: state.metadata?.exit ?? (ok ? 0 : null),
        status: ok ? 'completed' : 'failed',
        output: tailOf(state.output ?? state.error ?? ''),
      },
    ];
  }
  const file = str('filePath');
  if (['edit', 'write', 'multiedit'].includes(tool) && file !== undefined) {
    return [
      {
        type: 'file_change',
        changes: [{ path: file, kind: tool === 'write' ? 'add' : 'update' }],
        status: state.status,
      },
    ];
  }
  const query = str('query');
  if (tool === 'websearch' && query !== undefined) return [{ type: 'web_search', query }];
  if (tool === 'todowrite') {
    const list = todos.safeParse(input['todos']);
    if (list.success) {
      return [
        {
          type: 'todo_list',
          items: list.data.map((t) => ({ text: t.content, completed: t.status === 'completed' })),
        },
      ];
    }
  }
  return [];
}

function map(e: OpencodeEvent): BatonEvent[] {
  switch (e.type) {
    case 'step_start':
      // Each step is one model request; a step that ends in tool calls is not the turn's end.
      return [{ type: 'thread.started', threadId: e.sessionID }, { type: 'turn.started' }];
    case 'text':
      return e.part.text ? [{ type: 'message', text: e.part.text }] : [];
    case 'reasoning':
      return e.part.text ? [{ type: 'reasoning', text: e.part.text }] : [];
    case 'tool_use':
      return toolUse(e.part.tool, e.part.state);
    case 'step_finish':
      return stepFinish(e.part);
    case 'error': {
      const status = e.error.data.statusCode === undefined ? '' : ` (HTTP ${e.error.data.statusCode})`;
      return [
        {
          type: 'turn.failed',
          message: `opencode: ${e.error.name}: ${e.error.data.message ?? 'no message'}${status}`,
        },
      ];
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

/**
 * Maps one line of `opencode run --format json` to baton events. The final answer is the last
 * `text` part; a run is complete when a step finishes with reason `stop`. Usage is the sum of
 * every step's (one `usage` event each), so `turn.completed` carries none.
 */
export function parseOpencodeLine(line: string): BatonEvent[] {
  return parseEventLine('opencode', line, event, KNOWN, map);
}
