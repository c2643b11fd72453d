import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORKER_FILES, readExit } from './files.js';
import { findTreeByCookie, signalAll } from './proc.js';

const POLL_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stop means stopped: SIGINT to every process of the worker's tree (found by its environment
 * cookie, so setsid'd grandchildren are included), wait up to `graceMs` for them to go, then
 * SIGKILL whatever is left, repeating until nothing carries the cookie. The `cancel` marker is
 * written first so every later reader knows the worker was stopped, not failed.
 */
export async function stopTree(opts: {
  workerDir: string;
  cookie: string;
  graceMs: number;
  reason: string;
}): Promise<{ forced: boolean }> {
  writeFileSync(path.join(opts.workerDir, WORKER_FILES.cancel), `${opts.reason}\n`);
  signalAll(findTreeByCookie(opts.cookie), 'SIGINT');
  const graceEnds = Date.now() + opts.graceMs;
  let gone = false;
  while (Date.now() < graceEnds) {
    if (findTreeByCookie(opts.cookie).length === 0) {
      gone = true;
      break;
    }
    await sleep(POLL_MS);
  }
  let forced = false;
  for (let round = 0; round < 50 && !gone; round++) {
    const left = findTreeByCookie(opts.cookie);
    if (left.length === 0) break;
    forced = true;
    signalAll(left, 'SIGKILL');
    await sleep(POLL_MS);
  }
  // The wrapper records the exit status right after its child dies.
  const deadline = Date.now() + 2000;
  while (readExit(opts.workerDir) === null && Date.now() < deadline) await sleep(POLL_MS);
  return { forced };
}
