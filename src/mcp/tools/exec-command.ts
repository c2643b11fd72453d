import { z } from 'zod';
import { DEFAULT_EXEC_YIELD_MS, DEFAULT_MAX_OUTPUT_TOKENS, execCommand } from '../../index.js';
import { defineTool, maxOutputTokens } from './define.js';
import { terminalReply } from './terminal-reply.js';

/** Codex's exec_command, backed by baton's detached terminal sessions (`baton exec`). */
export const execCommandTool = defineTool({
  name: 'exec_command',
  title: 'Run a command in a background terminal',
  description:
    'Run a shell command line in a background terminal. If it ends within yield_time_ms you get its ' +
    'output and exit code; otherwise a session_id and the output so far, and it keeps running (it ' +
    'outlives this server). Poll or type into it with write_stdin; stop it with stop_worker. ' +
    'Sessions are the same as `baton exec` (ids S1, S2, …).',
  input: {
    cmd: z.string().min(1).describe('Shell command line to run (sh -c), e.g. "npm test 2>&1 | tail -20".'),
    workdir: z.string().optional().describe('Working directory (default: the server’s).'),
    tty: z
      .boolean()
      .optional()
      .describe('Run inside a real pseudo-terminal (REPLs, programs that need one).'),
    yield_time_ms: z
      .number()
      .int()
      .nonnegative()
      .max(600_000)
      .optional()
      .describe(`How long to wait for output before returning (default ${DEFAULT_EXEC_YIELD_MS}).`),
    max_output_tokens: maxOutputTokens(DEFAULT_MAX_OUTPUT_TOKENS),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  async run(args, { engine }) {
    const r = await execCommand(engine, {
      command: [args.cmd],
      cwd: args.workdir,
      tty: args.tty,
      yieldMs: args.yield_time_ms ?? DEFAULT_EXEC_YIELD_MS,
      maxOutputTokens: args.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    });
    return terminalReply(r);
  },
});
