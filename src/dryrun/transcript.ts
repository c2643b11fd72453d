import { z } from 'zod';

const TextPart = z.looseObject({ type: z.string(), text: z.string() });
const MessageItem = z.looseObject({
  type: z.literal('message').optional(),
  role: z.string(),
  content: z.union([z.string(), z.array(z.unknown())]),
});
const ToolOutputItem = z.looseObject({
  type: z.enum(['function_call_output', 'custom_tool_call_output']),
  output: z.unknown(),
});
const RequestBody = z.looseObject({ input: z.array(z.unknown()).catch([]) });
const TurnMetadata = z.looseObject({ sandbox_mode: z.string() });

const MARKER = /(?:^|\s)SCENARIO=([A-Za-z0-9_-]+)/;
const VAR = /(?:^|\s)([A-Z_][A-Z0-9_]*)=(?:'([^']*)'|(\S+))/g;
/** Context blocks codex injects as user messages (`<environment_context>…</environment_context>`). */
const INJECTED = /^\s*(?:<([a-z_]+)>[\s\S]*<\/\1>\s*$|# AGENTS\.md instructions)/;

// What the fake server needs from one request: which scenario, which step, and the task's text.
export interface Transcript {
  scenario: string;
  task: string;
  toolOutputs: string[];
}

function partsText(content: string | unknown[]): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    const parsed = TextPart.safeParse(part);
    if (parsed.success) texts.push(parsed.data.text);
  }
  return texts.join('\n');
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return partsText(output);
  return output === undefined ? '' : JSON.stringify(output);
}

/** The user message the turn is about: the last carrying a marker, else the last one codex did not inject. */
function findTask(input: unknown[]): { index: number; text: string; scenario: string } {
  let fallback = { index: -1, text: '', scenario: 'default' };
  for (let i = input.length - 1; i >= 0; i--) {
    const message = MessageItem.safeParse(input[i]);
    if (!message.success || message.data.role !== 'user') continue;
    const text = partsText(message.data.content);
    const marker = MARKER.exec(text);
    if (marker?.[1] !== undefined) return { index: i, text, scenario: marker[1] };
    if (fallback.index < 0 && !INJECTED.test(text)) fallback = { index: i, text, scenario: 'default' };
  }
  return fallback;
}

// Why: codex is stateless towards the server, so the whole script position is recomputed from `input`.
export function readTranscript(body: unknown): Transcript {
  const parsed = RequestBody.safeParse(body);
  const input = parsed.success ? parsed.data.input : [];
  const task = findTask(input);
  const toolOutputs: string[] = [];
  for (const item of input.slice(task.index + 1)) {
    const output = ToolOutputItem.safeParse(item);
    if (output.success) toolOutputs.push(outputText(output.data.output));
  }
  return { scenario: task.scenario, task: task.text, toolOutputs };
}

// Why: scenarios are parameterised from the prompt (`NAME=w3 CMD='ls -la'`), so no extra channel is needed.
export function parseVars(task: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const match of task.matchAll(VAR)) {
    const key = match[1];
    const value = match[2] ?? match[3];
    if (key !== undefined && value !== undefined) vars[key] = value;
  }
  return vars;
}

// Why: codex reports the sandbox only in this header; recording it lets tests check baton's `-s` flag.
export function sandboxModeOf(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return null;
  try {
    const parsed = TurnMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.sandbox_mode : null;
  } catch {
    return null;
  }
}

// Why: exec_command outputs carry a header (wall time, exit code); scenarios usually want what follows `Output:`.
export function outputSection(toolOutput: string): string {
  const at = toolOutput.startsWith('Output:\n') ? 0 : toolOutput.indexOf('\nOutput:\n');
  if (at < 0) return toolOutput;
  return toolOutput.slice(at + (at === 0 ? 'Output:\n'.length : '\nOutput:\n'.length));
}

// Why: an exec still running after its yield reports a session id that must be polled with write_stdin.
export function runningSessionId(toolOutput: string): number | null {
  const match = /Process running with session ID (\d+)/.exec(toolOutput);
  return match?.[1] === undefined ? null : Number(match[1]);
}

// Why: the default dry-run answer echoes the task so a user can see which prompt each worker got.
export function summarizeTask(task: string): string {
  const lines = task.split('\n').map((line) => line.trim());
  const taskLine = lines.findIndex((line) => line.startsWith('TASK:'));
  let summary = '';
  if (taskLine >= 0) {
    const rest = (lines[taskLine] ?? '').slice('TASK:'.length).trim();
    summary = rest !== '' ? rest : (lines.slice(taskLine + 1).find((line) => line !== '') ?? '');
  } else {
    summary = lines.filter((line) => line !== '').at(-1) ?? '';
  }
  if (summary === '') return '(empty task)';
  return summary.length > 200 ? `${summary.slice(0, 199)}…` : summary;
}
