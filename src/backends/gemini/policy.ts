import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { READ_ONLY_COMMANDS } from '../support/read-only.js';
import type { Sandbox } from '../types.js';

/** Any run of characters without quotes, backslashes, redirections, `;`, `&`, `$` or backquotes. */
const PLAIN = '[^"\\\\<>;&$`]*';

/**
 * Gemini CLI refuses every redirection unless the matching rule allows it. This rule allows exactly
 * one, `2>/dev/null`, after a read-only command (models add it to silence "Permission denied"). It
 * is matched against the JSON of the call's arguments, so `(?=")` is the end of the command; every
 * other command in a pipeline is still checked against the rules on its own.
 */
const QUIET_READ = `(?:${READ_ONLY_COMMANDS.filter((c) => !c.includes(' ')).join('|')}) ${PLAIN}2>/dev/null(?=[ "])${PLAIN}(?=")`;

const READ_ONLY_POLICY = `# Written by baton: reader workers may run read-only shell commands, nothing else.
[[rule]]
toolName = "run_shell_command"
commandPrefix = ${JSON.stringify(READ_ONLY_COMMANDS)}
decision = "allow"
priority = 100

[[rule]]
toolName = "run_shell_command"
commandRegex = '${QUIET_READ}'
allowRedirection = true
decision = "allow"
priority = 110

[[rule]]
toolName = "run_shell_command"
commandRegex = ".*--output.*"
decision = "deny"
priority = 200
`;

const WRITE_POLICY = `# Written by baton: writer workers may run shell commands (edits are auto-approved in the workspace).
[[rule]]
toolName = "run_shell_command"
decision = "allow"
priority = 100
`;

/** Where baton keeps the policy files it hands to Gemini CLI (`--policy`). */
function policyDir(): string {
  const cache = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(cache, 'baton', 'gemini-policies');
}

/** Writes a policy once, named by its content, and returns its path (safe for concurrent spawns). */
function ensurePolicy(name: string, text: string): string {
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const dir = policyDir();
  const file = path.join(dir, `${name}-${hash}.toml`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
  return file;
}

/**
 * baton's reader/writer rule in Gemini CLI's terms (headless mode declares only allowed tools):
 * - read-only: the default approval mode (read, search and list tools) plus `READ_ONLY_COMMANDS`
 *   in the shell;
 * - workspace-write: `auto_edit` (file edits inside the workspace) plus the shell (Gemini CLI has
 *   no OS sandbox here, so shell commands are not confined to the workspace);
 * - danger-full-access: `yolo`, every tool.
 */
export function geminiPermissionArgs(sandbox: Sandbox | null): string[] {
  switch (sandbox) {
    case 'workspace-write':
      return ['--approval-mode', 'auto_edit', '--policy', ensurePolicy('write', WRITE_POLICY)];
    case 'danger-full-access':
      return ['--approval-mode', 'yolo'];
    default:
      return ['--approval-mode', 'default', '--policy', ensurePolicy('read-only', READ_ONLY_POLICY)];
  }
}
