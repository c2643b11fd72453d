import { z } from 'zod';
import { DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_WRITE_YIELD_MS, writeStdin, type Engine } from '../../index.js';
import { defineTool, maxOutputTokens } from './define.js';
import { terminalReply } from './terminal-reply.js';

/** Ctrl+C as typed by an agent: interrupts the foreground command, with or without a PTY. */
const CTRL_C = '\u0003';

/** Types into a session (or polls it) and returns what it printed since the last read. */
export async function typeInto(
  engine: Engine,
  sessionId: string,
  chars: string,
  yieldMs: number | undefined,
  maxTokens: number | undefined,
) {
  const r = await writeStdin(engine, {
    sessionId,
    chars: chars === CTRL_C ? '' : chars,
    ctrlC: chars === CTRL_C,
    yieldMs: yieldMs ?? DEFAULT_WRITE_YIELD_MS,
    maxOutputTokens: maxTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
  });
  return terminalReply(r);
}

/** Codex's write_stdin on baton's terminal sessions (`baton write`). */
export const writeStdinTool = defineTool({
  name: 'write_stdin',
  title: 'Type into (or poll) a background terminal',
  description:
    'Write characters to a session started by exec_command and return the output produced since the ' +
    'last read, waiting up to yield_time_ms or until it exits. Empty chars just polls. Include "\\n" ' +
    'to press Enter; chars "\\u0003" sends Ctrl+C.',
  input: {
    session_id: z.string().min(1).describe('Session id returned by exec_command, e.g. "S1".'),
    chars: z.string().optional().describe('Characters to type (default: none, i.e. poll).'),
    yield_time_ms: z
      .number()
      .int()
      .nonnegative()
      .max(600_000)
      .optional()
      .describe(`How long to wait for output (default ${DEFAULT_WRITE_YIELD_MS}).`),
    max_output_tokens: maxOutputTokens(DEFAULT_MAX_OUTPUT_TOKENS),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  run: (args, { engine }) =>
    typeInto(engine, args.session_id, args.chars ?? '', args.yield_time_ms, args.max_output_tokens),
});
