import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { LimitRepo } from '../../src/store/limits.js';
import { WorkerRepo, type WorkerRecord } from '../../src/store/workers.js';
import { planDispatch } from '../../src/workers/dispatch.js';
import { backendLimits, pauseMs, recordRateLimit } from '../../src/workers/rate-limit.js';
import { notYetRun } from '../../src/workers/records.js';
import { tempDir } from '../helpers/tmp.js';

// The rate-limit rules on a real store, with made-up times: what a hit does to the cap and the
// pause, which later failures count as a new hit, how the cap grows back, and when it is forgotten.
const T0 = 1_000_000_000;
const PAUSE = pauseMs(1);

function store() {
  const db = openDb(path.join(tempDir('baton-rl-rules-'), 'baton.db'));
  return { db, workers: new WorkerRepo(db), limits: new LimitRepo(db) };
}

function worker(label: string, patch: Partial<WorkerRecord> = {}): WorkerRecord {
  return {
    label,
    backend: 'claude',
    role: 'worker',
    cwd: '/',
    sandbox: 'read-only',
    task: 't',
    prompt: 't',
    argv: ['claude'],
    schemaPath: null,
    timeoutMs: null,
    graceMs: 5000,
    ...notYetRun(T0),
    threadId: null,
    runId: null,
    writes: [],
    maxParallel: 8,
    env: {},
    io: 'none',
    attempt: 1,
    attemptOf: null,
    retries: 0,
    retryTimeouts: false,
    notBefore: null,
    extraArgs: [],
    model: null,
    kind: 'run',
    ...patch,
  };
}

describe('rate-limit rules', () => {
  it('halves the cap and pauses; the same burst does not count twice', () => {
    const ctx = store();
    recordRateLimit(ctx, worker('a', { startedAt: T0 }), 'HTTP 429', T0 + 100);
    expect(ctx.limits.get('claude')).toMatchObject({ cap: 4, hits: 1, until: T0 + 100 + PAUSE });
    // Failing during the pause, or started before the hit and failing after it: the same burst.
    recordRateLimit(ctx, worker('b', { startedAt: T0 + 50 }), 'HTTP 429', T0 + 200);
    recordRateLimit(ctx, worker('c', { startedAt: T0 + 50 }), 'HTTP 429', T0 + 100 + PAUSE + 5000);
    expect(ctx.limits.get('claude')).toMatchObject({ cap: 4, hits: 1 });
    // A worker started after the hit that is limited again: a second hit in a row.
    const hit2 = T0 + 100 + PAUSE + 6000;
    recordRateLimit(ctx, worker('d', { startedAt: T0 + 100 + PAUSE }), 'HTTP 429', hit2);
    expect(ctx.limits.get('claude')).toMatchObject({ cap: 2, hits: 2, until: hit2 + 2 * PAUSE });
  });

  it('grows the cap back only with successes started after the hit', () => {
    const ctx = store();
    recordRateLimit(ctx, worker('a', { startedAt: T0 }), 'HTTP 429', T0 + 100);
    const ended = { state: 'succeeded' as const, endedAt: T0 + 200 + PAUSE };
    ctx.workers.insert(worker('before', { ...ended, startedAt: T0 + 10 }));
    ctx.workers.insert(worker('after-1', { ...ended, startedAt: T0 + 100 + PAUSE }));
    ctx.workers.insert(worker('after-2', { ...ended, startedAt: T0 + 101 + PAUSE }));
    ctx.workers.insert(worker('other', { ...ended, backend: 'gemini', startedAt: T0 + 100 + PAUSE }));
    expect(backendLimits(ctx, T0 + 300 + PAUSE).get('claude')?.effectiveCap).toBe(6);
  });

  it('forgets a limit five minutes after its pause', () => {
    const ctx = store();
    recordRateLimit(ctx, worker('a', { startedAt: T0 }), 'HTTP 429', T0);
    expect(backendLimits(ctx, T0 + PAUSE + 299_000).has('claude')).toBe(true);
    expect(backendLimits(ctx, T0 + PAUSE + 300_000).has('claude')).toBe(false);
    // A hit after that starts over: the full cap halved, the first pause.
    recordRateLimit(ctx, worker('b', { startedAt: T0 + 400_000 }), 'HTTP 429', T0 + 400_000 + PAUSE);
    expect(ctx.limits.get('claude')).toMatchObject({ cap: 4, hits: 1 });
  });

  it('starts nothing on a paused backend, then at most its lowered cap; other backends go on', () => {
    const limit = { backend: 'claude', cap: 2, hitAt: T0, until: T0 + 10_000, hits: 1, reason: '429' };
    const limits = new Map([['claude', { ...limit, effectiveCap: 2 }]]);
    const queued = ['q1', 'q2', 'q3'].map((l) => worker(l));
    const gemini = worker('g1', { backend: 'gemini' });
    const paused = planDispatch([], [...queued, gemini], new Map(), limits, T0 + 2000);
    expect(paused.start.map((w) => w.label)).toEqual(['g1']);
    expect(paused.waiting.get('q1')?.waitingFor).toBe('claude to cool down after a rate limit (8s)');
    const after = planDispatch([], queued, new Map(), limits, T0 + 10_000);
    expect(after.start.map((w) => w.label)).toEqual(['q1', 'q2']);
    expect(after.waiting.get('q3')?.waitingFor).toBe(
      'a claude slot (2/2 running; cap lowered from 8 after a rate limit)',
    );
  });
});
