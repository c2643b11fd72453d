import type { Backend } from './types.js';
import { codexBackend } from './codex/index.js';
import { shellBackend } from './shell/index.js';
import { claudeBackend } from './claude/index.js';
import { geminiBackend } from './gemini/index.js';
import { opencodeBackend } from './opencode/index.js';
import { badInput } from '../errors.js';

const BACKENDS: ReadonlyMap<string, Backend> = new Map([
  [codexBackend.name, codexBackend],
  [shellBackend.name, shellBackend],
  [claudeBackend.name, claudeBackend],
  [geminiBackend.name, geminiBackend],
  [opencodeBackend.name, opencodeBackend],
]);

/** Names accepted by `--backend`. */
export const BACKEND_NAMES: readonly string[] = [...BACKENDS.keys()];

/** Looks a backend up by name; unknown names are bad input that lists the known ones. */
export function getBackend(name: string): Backend {
  const backend = BACKENDS.get(name);
  if (!backend) throw badInput(`unknown backend "${name}"; use one of: ${BACKEND_NAMES.join(', ')}`);
  return backend;
}
