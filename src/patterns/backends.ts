import { BACKEND_NAMES } from '../backends/registry.js';
import { badInput } from '../errors.js';

/** Backends that take a task: every one but shell, which runs a command given after `--`. */
export const PATTERN_BACKENDS: readonly string[] = BACKEND_NAMES.filter((name) => name !== 'shell');

/**
 * One item of a backend list: `claude`, or `claude=<model>` to pick that worker's model (so two
 * lenses can even use two models of one CLI: `codex=gpt-5.5,codex=gpt-5.5-mini`).
 */
export function backendChoice(item: string): { backend: string; model: string | undefined } {
  const at = item.indexOf('=');
  if (at < 0) return { backend: item.trim(), model: undefined };
  const backend = item.slice(0, at).trim();
  const model = item.slice(at + 1).trim();
  if (model === '')
    throw badInput(
      `--backend: "${item}" names no model; write ${backend}=<model> or just ${backend}; backends: ${PATTERN_BACKENDS.join(', ')}`,
    );
  return { backend, model };
}

/**
 * Refuses a backend list a pattern cannot run before anything starts; found at spawn time instead,
 * a bad name would end the run with its first workers already running.
 */
export function checkBackends(names: readonly string[]): void {
  const allowed = `use one of: ${PATTERN_BACKENDS.join(', ')}`;
  for (const item of names) {
    const { backend: name } = backendChoice(item);
    if (PATTERN_BACKENDS.includes(name)) continue;
    const why =
      name === 'shell'
        ? 'shell runs a command, not a task, so pattern workers cannot use it'
        : `unknown backend "${name}"`;
    throw badInput(`--backend: ${why}; ${allowed}`);
  }
}
