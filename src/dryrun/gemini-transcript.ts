import { z } from 'zod';
import type { TurnRequest } from './scripted-server.js';

const Part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  functionResponse: z.looseObject({ name: z.string().optional(), response: z.unknown() }).optional(),
});
const Content = z.looseObject({ role: z.string().optional(), parts: z.array(z.unknown()).catch([]) });
const Body = z.looseObject({
  contents: z.array(z.unknown()).catch([]),
  tools: z
    .array(z.looseObject({ functionDeclarations: z.array(z.looseObject({ name: z.string() })).catch([]) }))
    .catch([]),
});
const ToolResponse = z.looseObject({ output: z.unknown().optional(), error: z.unknown().optional() });

const MARKER = /(?:^|\s)SCENARIO=([A-Za-z0-9_-]+)/;
/** Context Gemini CLI adds as user text (`<session_context>…</session_context>`). */
const INJECTED = /^\s*<([a-z_-]+)>[\s\S]*<\/\1>\s*$/;
const CWD = /Workspace Directories:\**\s*\n\s*-\s*(\/\S+)/;
/** Lines Gemini CLI's shell tool appends after a command's output. */
const SHELL_TRAILER = /^(?:Error|Exit Code|Signal|Background PIDs|Process Group PGID): /;

function contents(body: z.infer<typeof Body>): { role: string; parts: z.infer<typeof Part>[] }[] {
  return body.contents.flatMap((raw) => {
    const content = Content.safeParse(raw);
    if (!content.success) return [];
    const parts = content.data.parts.flatMap((p) => {
      const part = Part.safeParse(p);
      return part.success ? [part.data] : [];
    });
    return [{ role: content.data.role ?? 'user', parts }];
  });
}

/**
 * The shell tool's result as plain text: Gemini CLI wraps it in `<untrusted_context>`, prefixes
 * `Output: ` and appends exit code / process group lines; scenarios want only what the command printed.
 */
export function geminiToolOutput(response: unknown): string {
  const parsed = ToolResponse.safeParse(response);
  if (!parsed.success) return JSON.stringify(response ?? '');
  const raw = parsed.data.output ?? parsed.data.error ?? '';
  let text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  text = text.replace(/^\s*<untrusted_context>\n?/, '').replace(/\n?<\/untrusted_context>\s*$/, '');
  if (!text.startsWith('Output: ')) return text;
  const lines = text.slice('Output: '.length).split('\n');
  while (lines.length > 1 && SHELL_TRAILER.test(lines.at(-1) ?? '')) lines.pop();
  const output = lines.join('\n');
  return output === '(empty)' ? '' : output;
}

function findTask(list: ReturnType<typeof contents>): { index: number; text: string; scenario: string } {
  let fallback = { index: -1, text: '', scenario: 'default' };
  for (let i = list.length - 1; i >= 0; i--) {
    const content = list[i];
    if (content?.role !== 'user') continue;
    const texts = content.parts.flatMap((p) => (p.text !== undefined && !p.thought ? [p.text] : []));
    for (const text of texts.reverse()) {
      const marker = MARKER.exec(text);
      if (marker?.[1] !== undefined) return { index: i, text, scenario: marker[1] };
      if (fallback.index < 0 && !INJECTED.test(text)) fallback = { index: i, text, scenario: 'default' };
    }
  }
  return fallback;
}

// Why: Gemini CLI resends the whole conversation, so the script position is recomputed from `contents`.
export function readGeminiTurn(raw: unknown): TurnRequest {
  const parsed = Body.safeParse(raw);
  const body = parsed.success ? parsed.data : Body.parse({});
  const list = contents(body);
  const task = findTask(list);
  const toolOutputs: string[] = [];
  for (const content of list.slice(task.index + 1)) {
    for (const part of content.parts) {
      if (part.functionResponse) toolOutputs.push(geminiToolOutput(part.functionResponse.response));
    }
  }
  const firstTexts = (list[0]?.parts ?? []).map((p) => p.text ?? '').join('\n');
  return {
    scenario: task.scenario,
    task: task.text,
    toolOutputs,
    tools: body.tools.flatMap((t) => t.functionDeclarations.map((f) => f.name)),
    cwd: CWD.exec(firstTexts)?.[1] ?? null,
  };
}
