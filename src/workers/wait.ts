import { watch, type FSWatcher } from 'node:fs';
import { isEnded, type WorkerState } from '../events.js';
import type { WorkerRecord } from '../store/workers.js';
import type { DispatchPlan } from './dispatch.js';

/** How `wait` decides it is done: every worker ended, or the first one. */
export type WaitMode = 'all' | 'any';

export interface WaitResult {
  /** True when the wait condition held before the timeout. */
  satisfied: boolean;
  workers: WorkerRecord[];
}

/** What waiting needs from the engine. */
export interface WaitSource {
  /** A worker's latest attempt, brought up to date. */
  get(label: string): WorkerRecord;
  dispatch(): DispatchPlan;
  /** The state of a worker's latest attempt, as stored (cheap: no output is read). */
  latestState(label: string): WorkerState | undefined;
  workerDir(label: string): string;
  /** Takes the dispatcher lease; returns its release. */
  holdLease(): () => void;
}

/**
 * Waits until all (or any) of the workers ended, or the timeout passed, dispatching the queue
 * meanwhile (under the lease, so exiting workers need not). Wakes on `exit` files appearing in the
 * workers' folders (inotify), with a 250 ms poll as a safety net (retries, lost workers).
 */
export async function waitForWorkers(
  src: WaitSource,
  labels: string[],
  opts: { mode: WaitMode; timeoutMs?: number; signal?: AbortSignal },
): Promise<WaitResult> {
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
  let wake: (() => void) | undefined;
  const watchers: FSWatcher[] = [];
  for (const label of labels) {
    try {
      // Only an exit status can end a wait; output written meanwhile is not worth waking for.
      watchers.push(watch(src.workerDir(label), (_event, file) => file === 'exit' && wake?.()));
    } catch {
      // the folder is gone: the poll will notice
    }
  }
  const releaseLease = src.holdLease();
  try {
    for (;;) {
      // Dispatching ends every worker that exited; the others' output need not be read until the
      // wait is over, so each pass reads one state per worker, not its whole stream.
      src.dispatch();
      const states = labels.map((l) => src.latestState(l));
      const ended = states.filter((s) => s === undefined || isEnded(s)).length;
      const satisfied = opts.mode === 'all' ? ended === labels.length : ended > 0;
      const left = deadline - Date.now();
      if (satisfied || left <= 0 || opts.signal?.aborted)
        return { satisfied, workers: labels.map((l) => src.get(l)) };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(250, left));
        wake = () => {
          clearTimeout(timer);
          // Batch exits that land together into one pass.
          setTimeout(resolve, 15);
        };
      });
      wake = undefined;
    }
  } finally {
    for (const w of watchers) w.close();
    releaseLease();
  }
}
