import type { WorkerRecord } from '../store/workers.js';

/** What a worker row holds before it has run: queued, no process, no output, no verdict. */
export function notYetRun(now: number) {
  return {
    state: 'queued',
    reason: null,
    exitCode: null,
    pid: null,
    pidStart: null,
    createdAt: now,
    startedAt: null,
    endedAt: null,
    stdoutOffset: 0,
    finalMessage: null,
    usage: null,
    turnStatus: null,
    turnError: null,
    lastActivity: null,
    readOffset: 0,
    retrySettled: false,
  } satisfies Partial<WorkerRecord>;
}
