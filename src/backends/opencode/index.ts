import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Backend, BackendCommand, WorkerSpec } from '../types.js';
import { isNativeBinary, resolveAgentBinary, type BinarySource } from '../support/binary.js';
import { configuredArgs, withStderr } from '../support/cli.js';
import { describeExitCode } from '../../workers/exit-code.js';
import { parseOpencodeLine } from './events.js';
import { opencodePermission } from './permissions.js';

function hasAvx2(): boolean {
  try {
    return /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return process.platform === 'darwin' && process.arch === 'arm64';
  }
}

function platformPackages(): string[] {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const base = `opencode-${os}-${process.arch}`;
  const variants = hasAvx2() ? ['', '-baseline'] : ['-baseline', ''];
  return [...variants, ...variants.map((v) => `${v}-musl`)].map((v) => `${base}${v}`);
}

/** The native binary: the wrapper's bin once its postinstall linked it, else a platform package's. */
export const opencodeSource: BinarySource = {
  name: 'opencode',
  pkg: 'opencode-ai',
  candidates(packageDir) {
    const files: string[] = [];
    const wrapper = packageDir('opencode-ai');
    if (wrapper) files.push(path.join(wrapper, 'bin', 'opencode.exe'));
    for (const pkg of platformPackages()) {
      const dir = packageDir(pkg);
      if (dir) files.push(path.join(dir, 'bin', 'opencode'));
    }
    return files.filter(isNativeBinary).map((file) => [file]);
  },
};

/**
 * The few lines of sh opencode runs under:
 * - its session database goes in the worker's own folder (`$BATON_WORKER`, the first attempt's for
 *   later attempts, so follow-ups find their session): workers sharing opencode's one SQLite file
 *   fail with "database is locked" when the machine is busy;
 * - `opencode run` quotes every message argument that contains a space, so the prompt (the script's
 *   first argument; argv, not env, since later attempts reuse the env) goes in on stdin, which it
 *   appends to the message, here empty, and reaches the model verbatim.
 */
const LAUNCH = [
  'd=${BATON_WORKER:-}; n=${d##*/}',
  'case $n in *~*) d=${d%/*}/${n%%~*} ;; esac',
  'if [ -n "$d" ] && [ -z "${OPENCODE_DB:-}" ]; then export OPENCODE_DB="$d/opencode.db"; fi',
  'prompt=$1; shift',
  `printf '%s' "$prompt" | { unset prompt; exec "$@"; }`,
].join('\n');

/** opencode names models provider/model; a bare name is taken as an Anthropic model. */
function modelId(model: string): string {
  return model.includes('/') ? model : `anthropic/${model}`;
}

function build(spec: WorkerSpec, session: string | null): BackendCommand {
  const bin = resolveAgentBinary(opencodeSource, spec.cwd);
  // --title skips the extra model call opencode makes to name the session; --dir because opencode
  // takes its directory from $PWD, which the worker inherits from whoever spawned it.
  const run = [...bin, 'run', '--format', 'json', '--title', spec.label, '--dir', spec.cwd];
  if (spec.model) run.push('-m', modelId(spec.model));
  if (session !== null) run.push('--session', session);
  run.push(...configuredArgs('opencode'), ...spec.extraArgs);
  const env = {
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_PERMISSION: JSON.stringify(opencodePermission(spec.sandbox)),
    ...spec.env,
  };
  return { argv: ['/bin/sh', '-c', LAUNCH, 'baton-opencode', spec.prompt, ...run], env };
}

/**
 * `opencode run --format json` as a worker. Follow-ups continue the session with `--session <id>`.
 */
export const opencodeBackend: Backend = {
  name: 'opencode',
  streamsEvents: true,
  defaultTimeoutMs: 30 * 60_000,
  // Slowest to start (~4 s) and heaviest; three ran cleanly at once on 2 cores.
  defaultMaxParallel: 3,
  command: (spec) => build(spec, null),
  resume: (spec, threadId) => build(spec, threadId),
  parseLine: parseOpencodeLine,
  conclude(facts, exit) {
    const finalMessage = facts.finalMessage;
    if (facts.turnStatus === 'failed') {
      return { state: 'failed', reason: facts.turnError ?? 'opencode reported an error', finalMessage };
    }
    if (exit.exitCode !== 0) {
      return {
        state: 'failed',
        reason: withStderr(`opencode ${describeExitCode(exit.exitCode)}`, exit.stderrTail),
        finalMessage,
      };
    }
    if (facts.turnStatus !== 'completed') {
      // e.g. a permission request auto-rejected in headless mode: exit 0, no final answer.
      return {
        state: 'failed',
        reason: withStderr('opencode ended without a final answer', exit.stderrTail),
        finalMessage,
      };
    }
    return { state: 'succeeded', reason: null, finalMessage };
  },
};
