import { z } from 'zod';
import type { TurnRequest } from './scripted-server.js';

const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const ToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  content: z.union([z.string(), z.array(z.unknown())]).optional(),
});
const Message = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(z.unknown())]),
});
const Body = z.looseObject({
  messages: z.array(z.unknown()).catch([]),
  tools: z.array(z.looseObject({ name: z.string() })).catch([]),
  system: z.unknown().optional(),
});

const MARKER = /(?:^|\s)SCENARIO=([A-Za-z0-9_-]+)/;
/** Context Claude Code adds to user messages (`<system-reminder>…</system-reminder>`). */
const INJECTED = /^\s*<([a-z_-]+)>[\s\S]*<\/\1>\s*$/;
/** Where Claude Code ("Primary working directory: …") and opencode ("Working directory: …") say cwd. */
const CWD = /(?:Primary working directory|Working directory):\s*(\/[^\s"\\]*)/;

function texts(content: string | unknown[]): string[] {
  if (typeof content === 'string') return [content];
  return content.flatMap((block) => {
    const parsed = TextBlock.safeParse(block);
    return parsed.success ? [parsed.data.text] : [];
  });
}

function toolResultText(content: string | unknown[] | undefined): string {
  if (content === undefined) return '';
  return texts(content).join('\n');
}

function messages(body: z.infer<typeof Body>): z.infer<typeof Message>[] {
  return body.messages.flatMap((m) => {
    const parsed = Message.safeParse(m);
    return parsed.success ? [parsed.data] : [];
  });
}

function findTask(list: z.infer<typeof Message>[]): { index: number; text: string; scenario: string } {
  let fallback = { index: -1, text: '', scenario: 'default' };
  for (let i = list.length - 1; i >= 0; i--) {
    const message = list[i];
    if (message?.role !== 'user') continue;
    for (const text of texts(message.content).reverse()) {
      const marker = MARKER.exec(text);
      if (marker?.[1] !== undefined) return { index: i, text, scenario: marker[1] };
      if (fallback.index < 0 && !INJECTED.test(text)) fallback = { index: i, text, scenario: 'default' };
    }
  }
  return fallback;
}

// Why: Claude Code and opencode resend the whole conversation, so the script position is recomputed from it.
export function readAnthropicTurn(raw: unknown): TurnRequest {
  const parsed = Body.safeParse(raw);
  const body = parsed.success ? parsed.data : Body.parse({});
  const list = messages(body);
  const task = findTask(list);
  const toolOutputs: string[] = [];
  for (const message of list.slice(task.index + 1)) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const block of message.content) {
      const result = ToolResultBlock.safeParse(block);
      if (result.success) toolOutputs.push(toolResultText(result.data.content));
    }
  }
  const head = JSON.stringify([body.system ?? null, ...list.slice(0, 2)]);
  return {
    scenario: task.scenario,
    task: task.text,
    toolOutputs,
    tools: body.tools.map((t) => t.name),
    cwd: CWD.exec(head)?.[1] ?? null,
  };
}
