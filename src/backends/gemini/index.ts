import path from 'node:path';
import type { Backend, BackendCommand, ExitInfo, WorkerFacts, WorkerSpec } from '../types.js';
import { resolveAgentBinary, type BinarySource } from '../support/binary.js';
import { configuredArgs, withStderr } from '../support/cli.js';
import { describeExitCode } from '../../workers/exit-code.js';
import { joinedAnswer, parseGeminiLine } from './events.js';
import { geminiPermissionArgs } from './policy.js';

/** Gemini CLI is a Node bundle: run it with this Node rather than relying on its shebang. */
export const geminiSource: BinarySource = {
  name: 'gemini',
  pkg: '@google/gemini-cli',
  candidates(packageDir) {
    const dir = packageDir('@google/gemini-cli');
    return dir ? [[process.execPath, path.join(dir, 'bundle', 'gemini.js')]] : [];
  },
};

/** Exit codes Gemini CLI documents for failures before any model call. */
const EXIT_CODES: Record<number, string> = {
  41: 'authentication is not configured',
  42: 'bad input',
  44: 'sandbox error',
  52: 'bad configuration',
  53: 'turn limit reached',
  55: 'the folder is not trusted',
};

function build(spec: WorkerSpec, resume: string | null): BackendCommand {
  const argv = [...resolveAgentBinary(geminiSource, spec.cwd), '--output-format', 'stream-json'];
  // Headless runs refuse untrusted folders; spawning a worker in a folder is that trust.
  argv.push('--skip-trust', ...geminiPermissionArgs(spec.sandbox));
  if (spec.model) argv.push('-m', spec.model);
  if (resume !== null) argv.push('--resume', resume);
  // `--prompt=` keeps a prompt that starts with "-" from being read as a flag.
  argv.push(...configuredArgs('gemini'), ...spec.extraArgs, `--prompt=${spec.prompt}`);
  // No relaunch with a bigger heap: one Node process per worker instead of two, and ~1 s faster.
  return { argv, env: { GEMINI_CLI_NO_RELAUNCH: 'true', ...spec.env } };
}

/** The HTTP status Gemini CLI prints on stderr for API errors (`status: 429`), when there is one. */
function httpStatus(stderrTail: string): string {
  const status = /\bstatus:\s*(\d{3})\b/.exec(stderrTail)?.[1];
  return status === undefined ? '' : ` (HTTP ${status})`;
}

function conclude(facts: WorkerFacts, exit: ExitInfo): ReturnType<Backend['conclude']> {
  // The folded facts hold only the last piece of the answer; the stream's end holds all of it.
  const finalMessage = (exit.stdoutTail ? joinedAnswer(exit.stdoutTail) : null) ?? facts.finalMessage;
  if (facts.turnStatus === 'failed') {
    const reason = `${facts.turnError ?? 'gemini reported an error'}${httpStatus(exit.stderrTail)}`;
    return { state: 'failed', reason, finalMessage };
  }
  if (exit.exitCode !== 0) {
    const known = EXIT_CODES[exit.exitCode];
    const what = `gemini ${describeExitCode(exit.exitCode)}${known ? ` (${known})` : ''}`;
    return { state: 'failed', reason: withStderr(what, exit.stderrTail), finalMessage };
  }
  if (facts.turnStatus !== 'completed')
    return { state: 'failed', reason: 'gemini exited without a result', finalMessage };
  return { state: 'succeeded', reason: null, finalMessage };
}

/**
 * `gemini --output-format stream-json --prompt=…` as a worker. Follow-ups continue the session
 * with `--resume <session id>`.
 */
export const geminiBackend: Backend = {
  name: 'gemini',
  streamsEvents: true,
  defaultTimeoutMs: 30 * 60_000,
  // Each worker is a Node process of ~250 MB; three ran cleanly at once on 2 cores.
  defaultMaxParallel: 3,
  command: (spec) => build(spec, null),
  resume: (spec, threadId) => build(spec, threadId),
  parseLine: parseGeminiLine,
  conclude,
};
