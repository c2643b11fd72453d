import path from 'node:path';
import type { Backend, WorkerFacts } from '../backends/types.js';
import type { EndState } from '../events.js';
import type { WorkerRecord } from '../store/workers.js';
import { formatElapsed } from '../util/duration.js';
import { WORKER_FILES, lastLines, readCancel, readTail } from './files.js';
import { checkAgainstSchema } from './schema.js';

/** How much of stdout a backend's verdict may read (a plain-output worker's final message). */
const STDOUT_RESULT_BYTES = 64 * 1024;

export interface Outcome {
  state: EndState;
  reason: string | null;
  finalMessage: string | null;
}

/**
 * Decides how a worker that has exited ended. Order matters: a stop beats everything, then the
 * wall-clock limit, then the backend's own verdict, then `--schema` validation of a success.
 */
export function decideOutcome(
  record: WorkerRecord,
  facts: WorkerFacts,
  backend: Backend,
  exit: { code: number; at: number },
  workerDir: string,
): Outcome {
  const cancelled = readCancel(workerDir, exit.at);
  if (cancelled !== null) return { state: 'cancelled', reason: cancelled, finalMessage: facts.finalMessage };
  const ran = exit.at - (record.startedAt ?? record.createdAt);
  const killedAfterLimit = exit.code === 137 && record.timeoutMs !== null && ran >= record.timeoutMs;
  if (record.timeoutMs !== null && (exit.code === 124 || killedAfterLimit)) {
    return {
      state: 'timed_out',
      reason: `no result within ${formatElapsed(record.timeoutMs)} (--timeout)`,
      finalMessage: facts.finalMessage,
    };
  }
  const verdict = backend.conclude(facts, {
    exitCode: exit.code,
    stderrTail: lastLines(path.join(workerDir, WORKER_FILES.stderr), 3),
    stdoutTail: readTail(path.join(workerDir, WORKER_FILES.stdout), STDOUT_RESULT_BYTES),
  });
  if (verdict.state === 'succeeded' && record.schemaPath) {
    const mismatch = checkAgainstSchema(record.schemaPath, verdict.finalMessage);
    if (mismatch) return { state: 'failed', reason: mismatch, finalMessage: verdict.finalMessage };
  }
  return verdict;
}
