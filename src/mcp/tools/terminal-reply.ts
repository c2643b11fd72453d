import type { TerminalReply } from '../../index.js';
import type { ToolReply } from '../reply.js';

/**
 * Renders a terminal reply the way Codex's own exec_command/write_stdin do (wall time, exit code
 * or session id, then the output), so agents trained on Codex read it without instructions.
 */
export function terminalReply(r: TerminalReply): ToolReply {
  const status =
    r.sessionId !== null
      ? `Process running with session ID ${r.sessionId}`
      : `Process exited with code ${r.exitCode ?? 'unknown'} (${r.state})`;
  const omitted = r.omittedChars > 0 ? `\n[… ${r.omittedChars} characters cut from the middle]` : '';
  return {
    text: `Wall time: ${(r.wallTimeMs / 1000).toFixed(4)} seconds\n${status}${omitted}\nOutput:\n${r.output}`,
    data: {
      session_id: r.sessionId,
      exit_code: r.exitCode,
      state: r.state,
      wall_time_ms: r.wallTimeMs,
      omitted_chars: r.omittedChars,
      output: r.output,
    },
  };
}
