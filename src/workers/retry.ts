import { badInput } from '../errors.js';
import { isEnded } from '../events.js';
import type { ContextPack } from '../prompts/context-pack.js';
import type { WorkerRecord } from '../store/workers.js';
import { backoffMs, baseLabel, isTransient, nextAttempt } from './attempts.js';
import type { QueueContext } from './queue.js';
import { isRateLimited, mayBeRateLimited } from './rate-limit.js';

/** The attempt a retry builds on: the latest run or retry (follow-ups carry only a message). */
function promptSource(attempts: readonly WorkerRecord[]): WorkerRecord {
  return [...attempts].reverse().find((a) => a.kind !== 'followup') ?? attempts[0]!;
}

function latestEnded(ctx: QueueContext, label: string, verb: string): WorkerRecord[] {
  const attempts = ctx.workers.attempts(label);
  const latest = attempts.at(-1);
  if (!latest) throw badInput(`${verb}: no worker labelled "${label}"; see: baton ps`);
  if (!isEnded(latest.state)) {
    throw badInput(
      `${verb}: ${label} is still ${latest.state}; wait for it or stop it first: baton stop ${label}`,
    );
  }
  return attempts;
}

/**
 * `baton retry`: a new attempt with the same role, backend, cwd, sandbox and write scope, and the
 * original prompt plus what was missing. Earlier attempts stay as they are.
 */
export function queueRetry(
  ctx: QueueContext,
  label: string,
  add: { note?: string | undefined; context?: ContextPack | undefined },
): WorkerRecord {
  const attempts = latestEnded(ctx, label, 'retry');
  const latest = attempts.at(-1)!;
  const source = promptSource(attempts);
  const extra: string[] = [];
  if (add.note) extra.push(`RETRY NOTE (attempt ${latest.attempt + 1}): ${add.note}`);
  if (add.context?.markdown) extra.push(`MORE CONTEXT:\n${add.context.markdown}`);
  const prompt = [source.prompt, ...extra].join('\n\n');
  const next = nextAttempt(
    source,
    latest.attempt + 1,
    { kind: 'retry', prompt, notBefore: null },
    ctx.workerDir,
  );
  ctx.workers.insert(next);
  return next;
}

/**
 * `baton followup`: continues the same conversation (codex `exec resume <thread>`), so the agent
 * keeps its whole history. Refused where the backend cannot or no thread was recorded.
 */
export function queueFollowup(ctx: QueueContext, label: string, message: string): WorkerRecord {
  if (message.trim() === '')
    throw badInput('followup: give the message to send, e.g. baton followup W1 "also cover X"');
  const attempts = latestEnded(ctx, label, 'followup');
  const latest = attempts.at(-1)!;
  const withThread = [...attempts].reverse().find((a) => a.threadId !== null);
  if (!withThread?.threadId) {
    throw badInput(
      `followup: ${label} has no conversation to continue (no thread id was recorded); use baton retry ${label}`,
    );
  }
  const change = {
    kind: 'followup' as const,
    prompt: message,
    notBefore: null,
    threadId: withThread.threadId,
  };
  const next = nextAttempt(withThread, latest.attempt + 1, change, ctx.workerDir);
  ctx.workers.insert(next);
  return next;
}

/**
 * Whether an ended attempt gets another: a transient failure with `--retries` left, or a rate limit
 * of an agent backend (retried after the backend's pause even with --retries 0, up to attempt 4).
 */
function deservesRetry(w: WorkerRecord): boolean {
  if (!isTransient(w)) return false;
  return w.attempt <= w.retries || (isRateLimited(w.reason) && mayBeRateLimited(w));
}

/**
 * The retry policy: every ended attempt that deserves a retry gets its next attempt queued, after
 * a backoff. Called by every dispatch, so it works with or without a live baton process (the
 * exiting worker's `_dispatch` runs it). Each ended attempt is looked at once.
 */
export function scheduleRetries(ctx: QueueContext): void {
  for (const w of ctx.workers.retryCandidates()) {
    ctx.workers.update(w.label, { retrySettled: true });
    if (!deservesRetry(w)) continue;
    const attempts = ctx.workers.attempts(baseLabel(w));
    if (attempts.at(-1)?.label !== w.label) continue; // a later attempt exists already
    // A rate-limited worker waits out its backend's pause (which doubles per hit) instead.
    const pause = isRateLimited(w.reason) ? ctx.limits.get(w.backend)?.until : undefined;
    const notBefore = pause ?? (w.endedAt ?? Date.now()) + backoffMs(w.attempt);
    const source = promptSource(attempts);
    let next: WorkerRecord;
    try {
      next = nextAttempt(
        source,
        w.attempt + 1,
        { kind: 'retry', prompt: source.prompt, notBefore },
        ctx.workerDir,
      );
    } catch (error) {
      // E.g. the CLI was uninstalled meanwhile: say so on the attempt (already settled).
      const why = error instanceof Error ? error.message : String(error);
      ctx.workers.update(w.label, { reason: `${w.reason ?? w.state}; not retried: ${why}` });
      continue;
    }
    ctx.workers.insert({ ...next, retries: w.retries, retryTimeouts: w.retryTimeouts });
  }
}
