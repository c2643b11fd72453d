import type { AgentReplyEnv, TerminalStep } from './scripted-server.js';
import { stepText } from './scripted-server.js';

// How a codex-shaped scripted step (exec, patch, MCP call) becomes a call of another CLI's tools.

/** One tool call a scripted step becomes, in the client's own tool names. */
export interface PlannedCall {
  name: string;
  input: Record<string, unknown>;
}

/** How a client names its tools: its shell, its file writer (if any) and its MCP tools. */
export interface ToolNames {
  shell(command: string): PlannedCall;
  write?(absolutePath: string, content: string): PlannedCall;
  mcp(namespace: string | undefined, tool: string, args: Record<string, unknown>): PlannedCall;
}

/** The file an `*** Add File:` patch (the only kind the built-in scenarios write) creates. */
export function parseAddFile(patch: string): { path: string; content: string } | null {
  const lines = patch.split('\n');
  const header = lines.findIndex((l) => l.startsWith('*** Add File: '));
  if (header < 0) return null;
  const body: string[] = [];
  for (const line of lines.slice(header + 1)) {
    if (!line.startsWith('+')) break;
    body.push(line.slice(1));
  }
  return {
    path: (lines[header] ?? '').slice('*** Add File: '.length).trim(),
    content: `${body.join('\n')}\n`,
  };
}

function heredoc(file: string, content: string): string {
  const quoted = `'${file.replaceAll("'", `'\\''`)}'`;
  return `mkdir -p "$(dirname ${quoted})" && cat > ${quoted} <<'BATON_DRYRUN_EOF'\n${content}BATON_DRYRUN_EOF`;
}

/**
 * Maps a codex-shaped step onto the client's tools: `exec` runs in its shell, `patch` goes through
 * its file writer (or a shell heredoc when it has none or never said where it works), `call` is an
 * MCP call. Returns null for steps with no equivalent (`poll`: these CLIs wait for commands).
 */
export function planCall(step: TerminalStep, env: AgentReplyEnv, names: ToolNames): PlannedCall | null {
  if ('exec' in step) return names.shell(stepText(step.exec, env.ctx));
  if ('patch' in step) {
    const patch = stepText(step.patch, env.ctx);
    const file = parseAddFile(patch);
    if (file === null) return names.shell(`echo '[dry-run] only Add File patches are scripted' >&2; exit 2`);
    if (names.write && env.cwd !== null) {
      const absolute = file.path.startsWith('/') ? file.path : `${env.cwd.replace(/\/$/, '')}/${file.path}`;
      return names.write(absolute, file.content);
    }
    return names.shell(heredoc(file.path, file.content));
  }
  if ('call' in step) {
    const args = typeof step.args === 'function' ? step.args(env.ctx) : step.args;
    return names.mcp(step.namespace, step.call, args);
  }
  return null;
}
