/**
 * Commands a reader may run: they print and never write (no output-file options). Backends without
 * an OS sandbox (Gemini CLI, opencode) turn this list into their own allow rules for reader workers.
 */
export const READ_ONLY_COMMANDS: readonly string[] = [
  'cat',
  'head',
  'tail',
  'wc',
  'ls',
  'pwd',
  'grep',
  'stat',
  'git status',
  'git diff',
  'git log',
  'git show',
];
