import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processStartTime } from './proc.js';
import { BatonError } from '../errors.js';

/**
 * The wrapper every worker runs under: a few lines of POSIX sh, detached in its own session.
 * It sends the agent's stdout/stderr straight to files (the kernel writes them, so no baton process
 * needs to stay alive), closes stdin, enforces the wall-clock limit with coreutils `timeout`
 * (SIGINT, then SIGKILL after the grace), and records the exit status in `exit`. After a timeout it
 * kills whatever still carries the worker's cookie (setsid'd grandchildren survive `timeout`).
 * Finally, if workers are queued and no live baton process is dispatching, it runs
 * `baton _dispatch` so the queue moves on even when no baton command is running.
 * Terminal sessions (io pipe/tty) read stdin from a FIFO the wrapper holds open (so it never sees
 * EOF while the session lives) and get stderr merged into stdout, like a terminal.
 * Positional args: worker dir, cookie, timeout s (0 = none), grace s, state dir, node, baton bin,
 * io mode, then argv.
 */
const WRAPPER = `dir=$1 cookie=$2 t=$3 g=$4 home=$5 node=$6 bin=$7 io=$8; shift 8
in=/dev/null
# Stopped before it even started (a stop in the first milliseconds): record that and leave.
if [ -e "$dir/cancel" ]; then printf '130\\n' >"$dir/exit"; exit 0; fi
exec 5>"$dir/stdout"
if [ "$io" = none ]; then
  exec 6>"$dir/stderr"
else
  in="$dir/stdin"
  mkfifo -m 600 "$in" && exec 3<>"$in" 6>&5
fi
if [ "$t" = 0 ]; then
  BATON_WORKER=$cookie "$@" <"$in" >&5 2>&6 3>&- 5>&- 6>&-; rc=$?
else
  BATON_WORKER=$cookie timeout -s INT -k "$g" "$t" "$@" <"$in" >&5 2>&6 3>&- 5>&- 6>&-; rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    for f in $(grep -lzx "BATON_WORKER=$cookie" /proc/[0-9]*/environ 2>/dev/null); do
      p=\${f#/proc/}; kill -KILL "\${p%/environ}" 2>/dev/null
    done
  fi
fi
exec 3>&- 5>&- 6>&-
printf '%s\\n' "$rc" >"$dir/exit"
if [ -e "$home/queue" ]; then
  pid=; [ -e "$home/dispatcher" ] && read pid <"$home/dispatcher"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    BATON_HOME=$home "$node" "$bin" _dispatch </dev/null >/dev/null 2>&1
  fi
fi
`;

/** What a launch gives back: enough to find the process again from any later baton process. */
export interface Launched {
  pid: number;
  pidStart: string | null;
  startedAt: number;
}

/** The CLI entry the wrapper calls to move the queue on. */
const BATON_BIN = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

export interface LaunchOptions {
  /** The state directory (holds the `queue` and `dispatcher` marker files). */
  home: string;
  workerDir: string;
  cookie: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number | null;
  graceMs: number;
  io: 'none' | 'pipe' | 'tty';
}

/** Starts a worker detached from the calling process; returns at once. */
export function launchDetached(opts: LaunchOptions): Launched {
  if (!existsSync(opts.cwd))
    throw new BatonError('NOT_FOUND', `working directory ${opts.cwd} no longer exists`);
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
      opts.home,
      process.execPath,
      BATON_BIN,
      opts.io,
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
