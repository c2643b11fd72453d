import path from 'node:path';
import type { Backend } from '../types.js';
import { codexHelperPath, resolveCodexBinary } from './binary.js';
import { parseCodexLine } from './events.js';
import { describeExitCode } from '../../workers/exit-code.js';
import { BatonError } from '../../errors.js';
import { configuredArgs } from '../support/cli.js';

/** Puts codex's bundled helper tools (rg) on the worker's PATH. */
function withHelpers(bin: string, base: Record<string, string>): Record<string, string> {
  const env = { ...base };
  const helpers = codexHelperPath(bin);
  if (helpers && !(env['PATH'] ?? '').startsWith(helpers)) {
    env['PATH'] = [helpers, env['PATH'] ?? process.env['PATH'] ?? ''].join(path.delimiter);
  }
  return env;
}

/** Codex's default: a hung provider or refused connection must still end a worker. */
const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/**
 * `codex exec --json` as a worker. Prompt travels as one argv entry after `--` (no shell, verbatim);
 * stdin is /dev/null (codex waits for EOF otherwise); no `-o` file (stale on failure): the final
 * message and the outcome come from the event stream.
 */
export const codexBackend: Backend = {
  name: 'codex',
  streamsEvents: true,
  defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
  // Eight at once runs well on 2 cores against a local model; real providers may want fewer (429s).
  defaultMaxParallel: 8,
  command(spec) {
    const bin = resolveCodexBinary(spec.cwd);
    const argv = [bin, 'exec', '--json', '--skip-git-repo-check', '-C', spec.cwd];
    if (spec.sandbox) argv.push('-s', spec.sandbox);
    if (spec.schemaPath) argv.push('--output-schema', spec.schemaPath);
    if (spec.model) argv.push('-m', spec.model);
    argv.push(...configuredArgs('codex'), ...spec.extraArgs, '--', spec.prompt);
    return { argv, env: withHelpers(bin, spec.env) };
  },
  resume(spec, threadId) {
    if (spec.extraArgs.includes('--ephemeral')) {
      throw new BatonError(
        'BAD_INPUT',
        'followup: the worker ran with --ephemeral, so codex kept no thread to resume',
      );
    }
    const bin = resolveCodexBinary(spec.cwd);
    const argv = [bin, 'exec', '--json', '--skip-git-repo-check', '-C', spec.cwd];
    if (spec.sandbox) argv.push('-s', spec.sandbox);
    if (spec.model) argv.push('-m', spec.model);
    argv.push(...configuredArgs('codex'), ...spec.extraArgs, 'resume', '--', threadId, spec.prompt);
    return { argv, env: withHelpers(bin, spec.env) };
  },
  parseLine: parseCodexLine,
  conclude(facts, exit) {
    const finalMessage = facts.finalMessage;
    if (facts.turnStatus === 'failed') {
      return { state: 'failed', reason: facts.turnError ?? 'turn failed', finalMessage };
    }
    if (exit.exitCode !== 0) {
      const why = exit.stderrTail ? `: ${exit.stderrTail}` : '';
      return { state: 'failed', reason: `codex ${describeExitCode(exit.exitCode)}${why}`, finalMessage };
    }
    if (facts.turnStatus !== 'completed') {
      return { state: 'failed', reason: 'codex exited without turn.completed', finalMessage };
    }
    return { state: 'succeeded', reason: null, finalMessage };
  },
};
