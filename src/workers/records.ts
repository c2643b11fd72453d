import type { WorkerSpec } from '../backends/types.js';
import type { WorkerRecord } from '../store/workers.js';
import type { PreparedSpawn } from './spawn.js';

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

/** A spawned worker's first attempt: queued, or failed at once when its CLI cannot run. */
export function firstAttempt(
  prepared: PreparedSpawn,
  made: { argv: string[]; spec: WorkerSpec },
  runId: string | null,
  now = Date.now(),
): WorkerRecord {
  const record: WorkerRecord = {
    ...made.spec,
    argv: made.argv,
    timeoutMs: prepared.timeoutMs,
    graceMs: prepared.graceMs,
    ...notYetRun(now),
    threadId: null,
    runId,
    writes: prepared.writes,
    maxParallel: prepared.maxParallel,
    env: prepared.env,
    io: prepared.io,
    attempt: 1,
    attemptOf: null,
    retries: prepared.retries,
    retryTimeouts: prepared.retryTimeouts,
    notBefore: null,
    kind: 'run',
  };
  if (prepared.unavailable === null) return record;
  return { ...record, state: 'failed', reason: `could not start: ${prepared.unavailable}`, endedAt: now };
}
