import path from 'node:path';
import type { Backend, BackendCommand, Sandbox, WorkerSpec } from '../types.js';
import { isNativeBinary, resolveAgentBinary, type BinarySource } from '../support/binary.js';
import { configuredArgs, withStderr } from '../support/cli.js';
import { describeExitCode } from '../../workers/exit-code.js';
import { parseClaudeLine } from './events.js';

const PLATFORM_PACKAGES = [
  `@anthropic-ai/claude-code-${process.platform}-${process.arch}`,
  `@anthropic-ai/claude-code-${process.platform}-${process.arch}-musl`,
];

/** The native binary: the wrapper's bin once its postinstall copied it in, else the platform package's. */
export const claudeSource: BinarySource = {
  name: 'claude',
  pkg: '@anthropic-ai/claude-code',
  candidates(packageDir) {
    const files: string[] = [];
    const wrapper = packageDir('@anthropic-ai/claude-code');
    if (wrapper) files.push(path.join(wrapper, 'bin', 'claude.exe'));
    for (const pkg of PLATFORM_PACKAGES) {
      const dir = packageDir(pkg);
      if (dir) files.push(path.join(dir, 'claude'));
    }
    return files.filter(isNativeBinary).map((file) => [file]);
  },
};

/**
 * baton's reader/writer rule in Claude Code's permission terms (headless, nobody answers prompts):
 * - read-only: the default mode, which runs only commands Claude Code classifies as read-only and
 *   denies the rest; the edit tools are removed;
 * - workspace-write: file edits inside the working directory are accepted, and Bash is allowed
 *   (Claude Code has no OS sandbox here, so Bash itself is not confined to the workspace);
 * - danger-full-access: every tool, any directory (not `--dangerously-skip-permissions`, which
 *   Claude Code refuses as root).
 */
export function claudePermissionArgs(sandbox: Sandbox | null): string[] {
  switch (sandbox) {
    case 'workspace-write':
      return ['--permission-mode', 'acceptEdits', '--allowedTools=Bash'];
    case 'danger-full-access':
      return [
        '--permission-mode',
        'acceptEdits',
        '--allowedTools=Bash,Edit,Write,NotebookEdit,WebFetch,WebSearch',
        '--add-dir=/',
      ];
    default:
      return ['--permission-mode', 'default', '--disallowedTools=Edit,Write,NotebookEdit'];
  }
}

function build(spec: WorkerSpec, resume: string | null): BackendCommand {
  const argv = [
    ...resolveAgentBinary(claudeSource, spec.cwd),
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
  ];
  argv.push(...claudePermissionArgs(spec.sandbox));
  if (spec.model) argv.push('--model', spec.model);
  if (resume !== null) argv.push('--resume', resume);
  argv.push(...configuredArgs('claude'), ...spec.extraArgs, '--', spec.prompt);
  // Parallel workers must not update the binary under each other.
  return { argv, env: { DISABLE_AUTOUPDATER: '1', ...spec.env } };
}

/** Claude Code's own retries can outlast any sensible wait: baton's timeout ends such a worker. */
const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/**
 * `claude -p … --output-format stream-json --verbose` as a worker. The prompt travels as one argv
 * entry after `--`; stdin is /dev/null. Follow-ups continue the session with `--resume <id>`.
 */
export const claudeBackend: Backend = {
  name: 'claude',
  streamsEvents: true,
  defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
  // Four at once ran cleanly on 2 cores against a local model; real accounts hit rate limits sooner.
  defaultMaxParallel: 4,
  command: (spec) => build(spec, null),
  resume: (spec, threadId) => build(spec, threadId),
  parseLine: parseClaudeLine,
  conclude(facts, exit) {
    const finalMessage = facts.finalMessage;
    if (facts.turnStatus === 'failed') {
      return { state: 'failed', reason: facts.turnError ?? 'claude reported an error', finalMessage };
    }
    if (exit.exitCode !== 0) {
      return {
        state: 'failed',
        reason: withStderr(`claude ${describeExitCode(exit.exitCode)}`, exit.stderrTail),
        finalMessage,
      };
    }
    if (facts.turnStatus !== 'completed') {
      return { state: 'failed', reason: 'claude exited without a result', finalMessage };
    }
    return { state: 'succeeded', reason: null, finalMessage };
  },
};
