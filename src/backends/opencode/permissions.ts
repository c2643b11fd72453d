import { READ_ONLY_COMMANDS } from '../support/read-only.js';
import type { Sandbox } from '../types.js';

/**
 * opencode checks each command of a pipeline against glob patterns, last match winning, on the
 * command's text including its redirections. So: deny by default, allow the read-only commands,
 * then deny any redirection except a lone `2>/dev/null`, and any `--output` option.
 */
function readOnlyBash(): Record<string, 'allow' | 'deny'> {
  const rules: Record<string, 'allow' | 'deny'> = { '*': 'deny' };
  for (const cmd of READ_ONLY_COMMANDS) {
    rules[cmd] = 'allow';
    rules[`${cmd} *`] = 'allow';
  }
  rules['*>*'] = 'deny';
  for (const cmd of READ_ONLY_COMMANDS) rules[`${cmd} * 2>/dev/null`] = 'allow';
  rules['*>*>*'] = 'deny';
  rules['* --output*'] = 'deny';
  return rules;
}

/**
 * baton's reader/writer rule as opencode permissions (`OPENCODE_PERMISSION`). Nothing is left at
 * "ask": `opencode run` auto-rejects a question and ends the run without an answer, while a
 * "deny" is reported to the model, which carries on.
 * - read-only: no edit tools, no subagents, no web fetches, `READ_ONLY_COMMANDS` in the shell;
 * - workspace-write: edits and the shell (opencode has no OS sandbox here, so shell commands are not
 *   confined to the workspace), nothing outside the working directory;
 * - danger-full-access: everything.
 */
export function opencodePermission(sandbox: Sandbox | null): Record<string, unknown> {
  switch (sandbox) {
    case 'workspace-write':
      return {
        edit: 'allow',
        bash: 'allow',
        webfetch: 'allow',
        task: 'allow',
        external_directory: 'deny',
        doom_loop: 'deny',
      };
    case 'danger-full-access':
      return { '*': 'allow', external_directory: 'allow', doom_loop: 'allow' };
    default:
      return {
        edit: 'deny',
        task: 'deny',
        webfetch: 'deny',
        external_directory: 'deny',
        doom_loop: 'deny',
        bash: readOnlyBash(),
      };
  }
}
