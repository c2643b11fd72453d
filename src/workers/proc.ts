import { readdirSync, readFileSync } from 'node:fs';

/**
 * A process's start time (field 22 of /proc/PID/stat, in clock ticks since boot). Together with
 * the pid it identifies a process even after the pid is reused.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); start time is field 22 → index 19.
    if (fields[0] === 'Z') return null;
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** True while the process that had this pid and start time is still running (not a zombie). */
export function isSameProcessAlive(pid: number, startTime: string | null): boolean {
  const now = processStartTime(pid);
  return now !== null && (startTime === null || now === startTime);
}

/** The environment variable that marks every process of a worker's tree, setsid'd ones included. */
export const COOKIE_VAR = 'BATON_WORKER';

/**
 * Every live process whose environment carries `BATON_WORKER=<cookie>`. Processes keep their
 * environment through setsid and re-parenting, so this finds the whole tree where process groups
 * and parent links do not.
 */
export function findTreeByCookie(cookie: string): number[] {
  const needle = Buffer.from(`\0${COOKIE_VAR}=${cookie}\0`);
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`);
      const padded = Buffer.concat([Buffer.from([0]), environ]);
      if (padded.includes(needle) && processStartTime(pid) !== null) pids.push(pid);
    } catch {
      // gone or not ours
    }
  }
  return pids;
}

/** Sends a signal, ignoring processes that are already gone. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already exited
    }
  }
}
