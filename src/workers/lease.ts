import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DISPATCHER_LEASE } from './queue.js';

/** True when another live baton process holds the dispatcher lease in state dir `root`. */
export function otherDispatcherAlive(root: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(root, DISPATCHER_LEASE), 'utf8').trim());
    if (!Number.isInteger(pid) || pid === process.pid) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes the dispatcher lease: while it is held, exiting workers leave dispatching to this process.
 * The lease is just our pid in a file; a dead pid is no lease. Returns the release function.
 */
export function holdDispatcherLease(root: string): () => void {
  const file = path.join(root, DISPATCHER_LEASE);
  const mine = String(process.pid);
  writeFileSync(file, `${mine}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === mine) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}
