import type { Backend } from '../types.js';
import { badInput } from '../../errors.js';
import { describeExitCode } from '../../workers/exit-code.js';

/**
 * Any command as a worker: `baton spawn --backend shell -- make test`. argv runs as given, no shell
 * in between; its final message is the tail of its stdout.
 */
export const shellBackend: Backend = {
  name: 'shell',
  streamsEvents: false,
  defaultTimeoutMs: null,
  defaultMaxParallel: 16,
  command(spec) {
    const argv = spec.extraArgs.length > 0 ? spec.extraArgs : [];
    if (argv.length === 0) {
      throw badInput(
        'the shell backend needs a command after "--", e.g. baton spawn --backend shell -- make test',
      );
    }
    return { argv, env: spec.env };
  },
  parseLine() {
    return [];
  },
  conclude(_facts, exit) {
    const finalMessage = exit.stdoutTail;
    if (exit.exitCode === 0) return { state: 'succeeded', reason: null, finalMessage };
    const tail = exit.stderrTail ? `: ${exit.stderrTail}` : '';
    return { state: 'failed', reason: `${describeExitCode(exit.exitCode)}${tail}`, finalMessage };
  },
};
