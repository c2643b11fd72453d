import { getBackend } from '../backends/registry.js';
import type { BackendLimitRecord, LimitRepo } from '../store/limits.js';
import type { WorkerRecord, WorkerRepo } from '../store/workers.js';
import { formatElapsed, parseDuration } from '../util/duration.js';

/** Failure reasons that mean the provider refused for rate or quota reasons (HTTP 429 and kin). */
const RATE_LIMITED = /\b429\b|rate.?limit|too many requests|resource.?exhausted|quota exceeded/i;

/** A rate-limited worker is retried automatically up to this attempt, even with --retries 0. */
export const RATE_LIMIT_ATTEMPTS = 4;

/** The pause after a first rate limit unless `BATON_RATE_LIMIT_PAUSE` says otherwise. */
const DEFAULT_PAUSE_MS = 10_000;
export const MAX_PAUSE_MS = 5 * 60_000;
/**
 * A hit this soon after the previous pause ended counts as another in a row (a longer pause); a
 * backend with no hit for this long after its pause gets its full cap back.
 */
const STREAK_MS = 5 * 60_000;

export function isRateLimited(reason: string | null): boolean {
  return reason !== null && RATE_LIMITED.test(reason);
}

/** Whether a worker's backend talks to a model provider that can rate-limit it (not `shell`). */
export function mayBeRateLimited(w: WorkerRecord): boolean {
  return getBackend(w.backend).streamsEvents && w.attempt < RATE_LIMIT_ATTEMPTS;
}

/** The pause after `hits` rate limits in a row: the base pause, doubled per hit, at most 5 min. */
export function pauseMs(hits: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['BATON_RATE_LIMIT_PAUSE'];
  let base = DEFAULT_PAUSE_MS;
  if (raw !== undefined && raw.trim() !== '') {
    try {
      base = parseDuration(raw, 'BATON_RATE_LIMIT_PAUSE');
    } catch {
      // A bad value must not break the worker that hit the limit; the default applies.
    }
  }
  return Math.min(MAX_PAUSE_MS, base * 2 ** Math.max(0, hits - 1));
}

export interface LimitContext {
  limits: LimitRepo;
  workers: WorkerRepo;
}

/** A backend's rate-limit state now: its lowered cap, grown back by one per success since. */
export interface BackendLimit extends BackendLimitRecord {
  /** The cap in force: the lowered cap plus the workers started after the hit that succeeded. */
  effectiveCap: number;
}

function withRecovery(ctx: LimitContext, limit: BackendLimitRecord): BackendLimit {
  return { ...limit, effectiveCap: limit.cap + ctx.workers.successesSince(limit.backend, limit.hitAt) };
}

/** A limit this long past its pause with no new hit is forgotten: the backend has its full cap. */
function expired(limit: BackendLimitRecord, now: number): boolean {
  return now - limit.until >= STREAK_MS;
}

/** Every backend still under a rate limit, with its cap in force (uncapped by `maxParallel`). */
export function backendLimits(ctx: LimitContext, now = Date.now()): Map<string, BackendLimit> {
  return new Map(
    ctx.limits
      .list()
      .filter((l) => !expired(l, now))
      .map((l) => [l.backend, withRecovery(ctx, l)]),
  );
}

/**
 * Records that a worker failed on a rate limit: its backend's cap is halved (at least 1) and the
 * backend starts nothing new for a pause. Workers that were already running at the last hit, or
 * that fail during its pause, are the same burst: they do not lower the cap again.
 */
export function recordRateLimit(ctx: LimitContext, w: WorkerRecord, reason: string, now: number): void {
  const found = ctx.limits.get(w.backend);
  const prev = found && !expired(found, now) ? found : undefined;
  if (prev && (now < prev.until || (w.startedAt ?? w.createdAt) < prev.hitAt)) return;
  const current = prev ? Math.min(w.maxParallel, withRecovery(ctx, prev).effectiveCap) : w.maxParallel;
  const hits = prev ? prev.hits + 1 : 1;
  ctx.limits.put({
    backend: w.backend,
    cap: Math.max(1, Math.floor(current / 2)),
    hitAt: now,
    until: now + pauseMs(hits),
    hits,
    reason: reason.slice(0, 300),
  });
}

/**
 * One line on a backend still feeling a rate limit (paused, or under its lowered cap), or null once
 * it has recovered. `usual` is the backend's cap without the limit.
 */
export function describeLimit(limit: BackendLimit, usual: number, now = Date.now()): string | null {
  const cap = Math.min(usual, limit.effectiveCap);
  if (limit.until <= now && cap >= usual) return null;
  const pause = limit.until > now ? `paused ${Math.ceil((limit.until - now) / 1000)}s more, then ` : '';
  const reason = limit.reason.length > 80 ? `${limit.reason.slice(0, 79)}…` : limit.reason;
  return `${limit.backend}: rate-limited ${formatElapsed(now - limit.hitAt)} ago (${reason}); ${pause}cap ${cap} of ${usual}, +1 per success`;
}

/** The lines for every backend still limited; `caps` holds each backend's usual cap (its workers'). */
export function limitLines(limits: readonly BackendLimit[], caps: ReadonlyMap<string, number>): string[] {
  return limits
    .map((l) => describeLimit(l, caps.get(l.backend) ?? getBackend(l.backend).defaultMaxParallel))
    .filter((line): line is string => line !== null);
}
