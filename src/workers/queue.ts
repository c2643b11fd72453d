import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRepo } from '../store/runs.js';
import type { WorkerRecord } from '../store/workers.js';
import { planDispatch, runBudgets, type DispatchPlan } from './dispatch.js';
import type { Launched } from './launch.js';
import { syncWorker, type SyncContext } from './sync.js';
import { scheduleRetries } from './retry.js';

/** Marker file: present while workers are queued, so exiting workers know to run `_dispatch`. */
export const QUEUE_MARKER = 'queue';
/** Lease file: pid of a live baton process that dispatches by itself (e.g. `baton wait`). */
export const DISPATCHER_LEASE = 'dispatcher';

export interface QueueContext extends SyncContext {
  runs: RunRepo;
  root: string;
  launch(record: WorkerRecord): Launched;
}

function budgetsFor(ctx: QueueContext, all: WorkerRecord[]) {
  const budgets = new Map<string, number>();
  for (const runId of new Set(all.map((w) => w.runId).filter((r): r is string => r !== null))) {
    const run = ctx.runs.get(runId);
    if (run?.budgetTokens != null) budgets.set(runId, run.budgetTokens);
  }
  return runBudgets(all, budgets);
}

/**
 * Moves the queue on: brings running workers up to date, then (in one IMMEDIATE transaction, so
 * two dispatchers never start the same worker) starts every queued worker the rules allow and
 * drops those whose run budget is used up. Returns the plan for the workers still waiting.
 */
export function dispatchQueue(ctx: QueueContext): DispatchPlan {
  for (const w of ctx.workers.inState('running')) syncWorker(ctx, w.label);
  return ctx.db
    .transaction(() => {
      scheduleRetries(ctx);
      const queued = ctx.workers.inState('queued');
      const marker = path.join(ctx.root, QUEUE_MARKER);
      // Running workers with retries left keep the marker, so their wrapper runs the retry policy.
      const mayRetry = ctx.workers.inState('running').some((w) => w.attempt <= w.retries);
      if (queued.length === 0) {
        if (mayRetry) writeFileSync(marker, '');
        else rmSync(marker, { force: true });
        return { start: [], cancel: [], waiting: new Map() } satisfies DispatchPlan;
      }
      const all = ctx.workers.list();
      const budgets = budgetsFor(ctx, all);
      const plan = planDispatch(ctx.workers.inState('running'), queued, budgets);
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
      const retryPossible = mayRetry || plan.start.some((w) => w.attempt <= w.retries);
      if (plan.waiting.size > 0 || retryPossible) writeFileSync(marker, '');
      else rmSync(marker, { force: true });
      return plan;
    })
    .immediate();
}
