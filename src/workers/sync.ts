import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db.js';
import type { EventRepo } from '../store/events.js';
import type { WorkerRecord, WorkerRepo } from '../store/workers.js';
import type { LimitRepo } from '../store/limits.js';
import type { BatonEvent } from '../events.js';
import { getBackend } from '../backends/registry.js';
import { WORKER_FILES, readCancel, readExit, readFrom } from './files.js';
import { factsOf, foldEvent, type FoldedFields } from './fold.js';
import { decideOutcome } from './outcome.js';
import { isSameProcessAlive } from './proc.js';
import { plainText } from '../util/plain-text.js';
import { isRateLimited, recordRateLimit } from './rate-limit.js';

/** Read at most this much new output per sync; the rest is picked up by the next one. */
const MAX_CHUNK = 8 * 1024 * 1024;

export interface SyncContext {
  db: Db;
  workers: WorkerRepo;
  events: EventRepo;
  limits: LimitRepo;
  workerDir(label: string): string;
}

interface NewOutput {
  events: BatonEvent[];
  offset: number;
  atEnd: boolean;
  lastLine: string | null;
}

function readNewOutput(
  file: string,
  from: number,
  parse: ((line: string) => BatonEvent[]) | null,
  final: boolean,
) {
  // Plain output is not parsed: only its last line matters (for `ps`), so skip to the end.
  const offset = parse ? from : Math.max(from, fileSize(file) - 4096);
  const { data, size } = readFrom(file, offset, MAX_CHUNK);
  const atEnd = offset + data.length >= size;
  // Once the process has exited, a last line without a newline is complete too.
  const end = final && atEnd ? data.length : data.lastIndexOf(0x0a) + 1;
  const complete = data.subarray(0, end).toString('utf8');
  const lines = complete.split('\n').filter((l) => l.trim().length > 0);
  const last = lines.at(-1);
  const result: NewOutput = {
    events: parse ? lines.flatMap(parse) : [],
    offset: offset + end,
    atEnd: atEnd && end === data.length,
    // Colour and cursor escapes would garble `ps`; the stdout file keeps them.
    lastLine: last === undefined ? null : plainText(last).trim().slice(0, 200),
  };
  return result;
}

/**
 * Brings one worker's row up to date from its files: parses new output into events (one batched
 * transaction), and once the wrapper recorded an exit status, decides the end state. A worker with
 * neither an exit status nor a live wrapper process is `lost`. Any baton process may call this;
 * the IMMEDIATE transaction makes concurrent callers take turns, so no event is stored twice.
 */
export function syncWorker(ctx: SyncContext, label: string): WorkerRecord | undefined {
  const seen = ctx.workers.get(label);
  if (!seen || seen.state !== 'running' || nothingNew(ctx, seen)) return seen;
  return ctx.db
    .transaction(() => {
      const record = ctx.workers.get(label);
      if (!record || record.state !== 'running') return record;
      const dir = ctx.workerDir(label);
      const backend = getBackend(record.backend);
      const exit = readExit(dir);
      const out = readNewOutput(
        path.join(dir, WORKER_FILES.stdout),
        record.stdoutOffset,
        backend.streamsEvents ? (line) => backend.parseLine(line) : null,
        exit !== null,
      );
      let facts: FoldedFields = factsOf(record);
      for (const event of out.events) facts = foldEvent(facts, event);
      if (!backend.streamsEvents && out.lastLine) facts = { ...facts, lastActivity: out.lastLine };
      const now = Date.now();
      ctx.events.append(label, now, out.events);
      let patch: Partial<WorkerRecord> = { ...facts, stdoutOffset: out.offset };
      if (exit && out.atEnd) {
        const outcome = decideOutcome({ ...record, ...patch }, facts, backend, exit, dir);
        patch = { ...patch, ...outcome, exitCode: exit.code, endedAt: exit.at };
        // The provider said "slow down": back the backend off (the retry policy retries the worker).
        if (outcome.state === 'failed' && backend.streamsEvents && isRateLimited(outcome.reason))
          recordRateLimit(ctx, record, outcome.reason ?? '', now);
        ctx.events.append(label, now, [
          { type: 'worker.ended', state: outcome.state, reason: outcome.reason, exitCode: exit.code },
        ]);
      } else if (!exit && record.pid !== null && !isSameProcessAlive(record.pid, record.pidStart)) {
        if (readExit(dir) === null) {
          const cancelled = readCancel(dir);
          const state = cancelled !== null ? 'cancelled' : 'lost';
          const reason = cancelled ?? 'the worker process vanished without recording an exit status';
          patch = { ...patch, state, reason, endedAt: now };
          ctx.events.append(label, now, [{ type: 'worker.ended', state, reason, exitCode: null }]);
        }
      }
      ctx.workers.update(label, patch);
      return { ...record, ...patch };
    })
    .immediate();
}

/**
 * The cheap read-only check that keeps polling light: no new output, no exit status and a live
 * process mean the row is already current, so no write transaction is needed.
 */
function nothingNew(ctx: SyncContext, w: WorkerRecord): boolean {
  if (mayHaveEnded(ctx, w)) return false;
  const size = fileSize(path.join(ctx.workerDir(w.label), WORKER_FILES.stdout));
  return size <= w.stdoutOffset;
}

/** Whether a running worker may have ended: its wrapper recorded an exit, or its process is gone. */
export function mayHaveEnded(ctx: Pick<SyncContext, 'workerDir'>, w: WorkerRecord): boolean {
  if (existsSync(path.join(ctx.workerDir(w.label), WORKER_FILES.exit))) return true;
  return w.pid === null || !isSameProcessAlive(w.pid, w.pidStart);
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
