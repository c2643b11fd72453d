import type { WorkerRecord } from '../store/workers.js';
import { firstOverlap } from './scopes.js';
import { totalTokens } from './view.js';
import type { BackendLimit } from './rate-limit.js';

/** What the queue decided: who starts now, who is dropped, and why the rest wait. */
export interface DispatchPlan {
  start: WorkerRecord[];
  cancel: { label: string; reason: string }[];
  /**
   * For each still-queued worker, by the label the user knows (not `W1~2`): place and reason, and
   * for one held back by a retry backoff or a rate-limit pause, when that ends.
   */
  waiting: Map<string, { position: number; waitingFor: string; startsAt?: number }>;
}

/** The label a user knows a worker by, whichever attempt the row is. */
function userLabel(w: WorkerRecord): string {
  return w.attemptOf ?? w.label;
}

/** Budget facts per run: tokens used so far and the budget, for runs that have one. */
export type RunBudgets = Map<string, { used: number; budget: number }>;

/** Sums tokens per run over all of its workers, for runs with a budget. */
export function runBudgets(all: readonly WorkerRecord[], budgets: Map<string, number>): RunBudgets {
  const result: RunBudgets = new Map();
  for (const [run, budget] of budgets) {
    const used = all.filter((w) => w.runId === run).reduce((sum, w) => sum + totalTokens(w.usage), 0);
    result.set(run, { used, budget });
  }
  return result;
}

/**
 * The queue's rules in one pure function, oldest first:
 * - a worker starts only while fewer than its `maxParallel` workers of its backend run;
 * - a writer starts only when no running writer, and no writer queued before it, has an
 *   overlapping write scope (many readers, one writer); readers never wait for writers;
 * - a worker of a run whose token budget is used up never starts;
 * - a backend that hit a rate limit starts nothing during its pause, then runs at most its lowered
 *   cap (which grows back by one per success).
 */
export function planDispatch(
  running: readonly WorkerRecord[],
  queued: readonly WorkerRecord[],
  budgets: RunBudgets,
  limits: ReadonlyMap<string, BackendLimit> = new Map(),
  now = Date.now(),
): DispatchPlan {
  const plan: DispatchPlan = { start: [], cancel: [], waiting: new Map() };
  const perBackend = new Map<string, number>();
  for (const w of running) perBackend.set(w.backend, (perBackend.get(w.backend) ?? 0) + 1);
  const holders: { label: string; writes: string[] }[] = running.filter((w) => w.writes.length > 0);
  let position = 0;
  for (const w of queued) {
    const budget = w.runId === null ? undefined : budgets.get(w.runId);
    if (budget && budget.used >= budget.budget) {
      plan.cancel.push({
        label: w.label,
        reason: `not started: run ${w.runId} used ${budget.used} of its ${budget.budget}-token budget`,
      });
      continue;
    }
    const limit = limits.get(w.backend);
    if (limit && limit.until > now) {
      position += 1;
      const secs = Math.ceil((limit.until - now) / 1000);
      plan.waiting.set(userLabel(w), {
        position,
        waitingFor: `${w.backend} to cool down after a rate limit (${secs}s)`,
        startsAt: Math.max(limit.until, w.notBefore ?? 0),
      });
      continue;
    }
    if (w.notBefore !== null && w.notBefore > now) {
      position += 1;
      const secs = Math.ceil((w.notBefore - now) / 1000);
      plan.waiting.set(userLabel(w), {
        position,
        waitingFor: `retry backoff (starts in ${secs}s)`,
        startsAt: w.notBefore,
      });
      continue;
    }
    const cap = limit ? Math.min(w.maxParallel, limit.effectiveCap) : w.maxParallel;
    const busy = perBackend.get(w.backend) ?? 0;
    const holder = w.writes.length > 0 ? holders.find((h) => firstOverlap(w.writes, h.writes)) : undefined;
    if (!holder && busy < cap) {
      plan.start.push(w);
      perBackend.set(w.backend, busy + 1);
      if (w.writes.length > 0) holders.push(w);
      continue;
    }
    position += 1;
    const waitingFor = holder
      ? `${holder.label} to release ${firstOverlap(w.writes, holder.writes) ?? 'its write scope'}`
      : `a ${w.backend} slot (${busy}/${cap} running${cap < w.maxParallel ? `; cap lowered from ${w.maxParallel} after a rate limit` : ''})`;
    plan.waiting.set(userLabel(w), { position, waitingFor });
    // A queued writer holds its place: later writers on the same paths wait behind it.
    if (w.writes.length > 0) holders.push(w);
  }
  return plan;
}
