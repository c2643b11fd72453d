import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRepo } from '../store/runs.js';
import type { WorkerRecord } from '../store/workers.js';
import { planDispatch, runBudgets, type DispatchPlan, type RunBudgets } from './dispatch.js';
import type { Launched } from './launch.js';
import { mayHaveEnded, syncWorker, type SyncContext } from './sync.js';
import { scheduleRetries } from './retry.js';
import { backendLimits, mayBeRateLimited } from './rate-limit.js';

/** Marker file: present while workers are queued, so exiting workers know to run `_dispatch`. */
export const QUEUE_MARKER = 'queue';
/** Lease file: pid of a live baton process that dispatches by itself (e.g. `baton wait`). */
export const DISPATCHER_LEASE = 'dispatcher';

export interface QueueContext extends SyncContext {
  runs: RunRepo;
  root: string;
  launch(record: WorkerRecord): Launched;
}

/** Whether a running worker may be retried when it ends: retries left, or a rate limit to ride out. */
function mayEndInRetry(w: WorkerRecord): boolean {
  return w.attempt <= w.retries || mayBeRateLimited(w);
}

/** Token use of the runs that queued workers belong to (only runs with a budget are read). */
function budgetsFor(ctx: QueueContext, queued: WorkerRecord[]): RunBudgets {
  const result: RunBudgets = new Map();
  for (const runId of new Set(queued.map((w) => w.runId).filter((r): r is string => r !== null))) {
    const run = ctx.runs.get(runId);
    if (run?.budgetTokens == null) continue;
    for (const [id, b] of runBudgets(ctx.workers.byRun(runId), new Map([[runId, run.budgetTokens]]))) {
      result.set(id, b);
    }
  }
  return result;
}

/**
 * Moves the queue on: ends the running workers that have exited (the others' new output is read
 * when someone reads them; parsing it here would make every spawn pay for every running worker),
 * then (in one IMMEDIATE transaction, so two dispatchers never start the same worker) starts every
 * queued worker the rules allow and drops those whose run budget is used up. Returns the plan for
 * the workers still waiting.
 */
export function dispatchQueue(ctx: QueueContext): DispatchPlan {
  const running = ctx.workers
    .inState('running')
    .map((w) => (mayHaveEnded(ctx, w) ? (syncWorker(ctx, w.label) ?? w) : w));
  if (ctx.workers.inState('queued').length === 0 && ctx.workers.retryCandidates().length === 0) {
    // Nothing to start or retry: no write transaction, just keep the marker file honest.
    const marker = path.join(ctx.root, QUEUE_MARKER);
    const mayRetry = running.some((w) => w.state === 'running' && mayEndInRetry(w));
    if (mayRetry && !existsSync(marker)) writeFileSync(marker, '');
    if (!mayRetry && existsSync(marker)) rmSync(marker, { force: true });
    return { start: [], cancel: [], waiting: new Map() };
  }
  return ctx.db
    .transaction(() => {
      scheduleRetries(ctx);
      const queued = ctx.workers.inState('queued');
      const marker = path.join(ctx.root, QUEUE_MARKER);
      // Running workers with retries left keep the marker, so their wrapper runs the retry policy.
      const mayRetry = ctx.workers.inState('running').some(mayEndInRetry);
      if (queued.length === 0) {
        if (mayRetry) writeFileSync(marker, '');
        else rmSync(marker, { force: true });
        return { start: [], cancel: [], waiting: new Map() } satisfies DispatchPlan;
      }
      const budgets = budgetsFor(ctx, queued);
      const plan = planDispatch(ctx.workers.inState('running'), queued, budgets, backendLimits(ctx));
      const now = Date.now();
      for (const [runId, b] of budgets) if (b.used >= b.budget) ctx.runs.markExhausted(runId, now);
      for (const { label, reason } of plan.cancel) {
        ctx.workers.update(label, { state: 'cancelled', reason, endedAt: now });
        ctx.events.append(label, now, [{ type: 'worker.ended', state: 'cancelled', reason, exitCode: null }]);
      }
      for (const w of plan.start) {
        let launched: Launched;
        try {
          launched = ctx.launch(w);
        } catch (error) {
          const reason = `could not start: ${(error as Error).message}`;
          ctx.workers.update(w.label, { state: 'failed', reason, endedAt: now });
          ctx.events.append(w.label, now, [
            { type: 'worker.ended', state: 'failed', reason, exitCode: null },
          ]);
          continue;
        }
        ctx.workers.update(w.label, {
          state: 'running',
          pid: launched.pid,
          pidStart: launched.pidStart,
          startedAt: launched.startedAt,
        });
        ctx.events.append(w.label, launched.startedAt, [{ type: 'worker.started', pid: launched.pid }]);
      }
      const retryPossible = mayRetry || plan.start.some(mayEndInRetry);
      if (plan.waiting.size > 0 || retryPossible) writeFileSync(marker, '');
      else rmSync(marker, { force: true });
      return plan;
    })
    .immediate();
}
