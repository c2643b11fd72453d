import { spawn } from 'node:child_process';
import path from 'node:path';
import { processStartTime } from './proc.js';
import { BatonError } from '../errors.js';

/**
 * The wrapper every worker runs under: a few lines of POSIX sh, detached in its own session.
 * It sends the agent's stdout/stderr straight to files (the kernel writes them, so no baton process
 * needs to stay alive), closes stdin, enforces the wall-clock limit with coreutils `timeout`
 * (SIGINT, then SIGKILL after the grace), and records the exit status in `exit`. After a timeout it
 * kills whatever still carries the worker's cookie (setsid'd grandchildren survive `timeout`).
 * Positional args: worker dir, cookie, timeout seconds (0 = none), grace seconds, then argv.
 */
const WRAPPER = `dir=$1 cookie=$2 t=$3 g=$4; shift 4
if [ "$t" = 0 ]; then
  BATON_WORKER=$cookie "$@" </dev/null >"$dir/stdout" 2>"$dir/stderr"; rc=$?
else
  BATON_WORKER=$cookie timeout -s INT -k "$g" "$t" "$@" </dev/null >"$dir/stdout" 2>"$dir/stderr"; rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    for f in $(grep -lzx "BATON_WORKER=$cookie" /proc/[0-9]*/environ 2>/dev/null); do
      p=\${f#/proc/}; kill -KILL "\${p%/environ}" 2>/dev/null
    done
  fi
fi
printf '%s\\n' "$rc" >"$dir/exit"
`;

/** What a launch gives back: enough to find the process again from any later baton process. */
export interface Launched {
  pid: number;
  pidStart: string | null;
  startedAt: number;
}

export interface LaunchOptions {
  workerDir: string;
  cookie: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number | null;
  graceMs: number;
}

/** Starts a worker detached from the calling process; returns at once. */
export function launchDetached(opts: LaunchOptions): Launched {
  const seconds = (ms: number | null) => (ms === null || ms <= 0 ? '0' : String(ms / 1000));
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      WRAPPER,
      'baton-worker',
      path.resolve(opts.workerDir),
      opts.cookie,
      seconds(opts.timeoutMs),
      seconds(Math.max(opts.graceMs, 1)),
      ...opts.argv,
    ],
    { detached: true, stdio: 'ignore', env: opts.env, cwd: opts.cwd },
  );
  const pid = child.pid;
  if (pid === undefined) throw new BatonError('INTERNAL', 'could not start /bin/sh for the worker wrapper');
  child.on('error', () => undefined); // surfaces later as a lost worker
  child.unref();
  return { pid, pidStart: processStartTime(pid), startedAt: Date.now() };
}
