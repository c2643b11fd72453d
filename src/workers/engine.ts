import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureHome, resolveHome, type BatonHome } from '../home.js';
import { openDb, type Db } from '../store/db.js';
import { EventRepo, type StoredEvent } from '../store/events.js';
import { WorkerRepo, type WorkerRecord } from '../store/workers.js';
import { BatonError, badInput } from '../errors.js';
import { isEnded } from '../events.js';
import { launchDetached, type Launched } from './launch.js';
import { RunRepo } from '../store/runs.js';
import { LimitRepo } from '../store/limits.js';
import { PlanRepo } from '../plan/store.js';
import { PlanService } from '../plan/service.js';
import type { DispatchPlan } from './dispatch.js';
import { dispatchQueue, type QueueContext } from './queue.js';
import { holdDispatcherLease, otherDispatcherAlive } from './lease.js';
import { backendLimits, type BackendLimit } from './rate-limit.js';
import { buildSpec, materialize, prepareSpawn, type SpawnInput } from './spawn.js';
import { stopTree } from './stop.js';
import { syncWorker } from './sync.js';
import { queueFollowup, queueRetry } from './retry.js';
import { loadContextPack } from '../prompts/context-pack.js';
import { firstAttempt } from './records.js';
import { waitForWorkers, type WaitMode, type WaitResult } from './wait.js';

export type { WaitMode, WaitResult } from './wait.js';

export interface EngineOptions {
  /** State directory; default `BATON_HOME` or `./.baton`. */
  home?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The engine: spawn, observe and stop workers. Holds no state of its own beyond a DB handle; every
 * fact lives in the state directory, so any number of Engines (CLI calls, MCP server, dashboard)
 * see the same workers, and none of them has to outlive the workers.
 */
export class Engine {
  readonly home: BatonHome;
  private readonly env: NodeJS.ProcessEnv;
  private dbHandle: Db | undefined;
  private repos: { workers: WorkerRepo; events: EventRepo; runs: RunRepo; limits: LimitRepo } | undefined;

  constructor(opts: EngineOptions = {}) {
    this.env = opts.env ?? process.env;
    this.home = resolveHome(opts.home ? { ...this.env, BATON_HOME: opts.home } : this.env);
  }

  private get ctx(): QueueContext {
    if (!this.dbHandle || !this.repos) {
      ensureHome(this.home);
      this.dbHandle = openDb(this.home.db);
      this.repos = {
        workers: new WorkerRepo(this.dbHandle),
        events: new EventRepo(this.dbHandle),
        runs: new RunRepo(this.dbHandle),
        limits: new LimitRepo(this.dbHandle),
      };
    }
    return {
      db: this.dbHandle,
      ...this.repos,
      root: this.home.root,
      workerDir: (l) => this.home.workerDir(l),
      launch: (w) => this.launch(w),
    };
  }

  /** False until something was spawned here: lets read-only commands avoid creating `.baton/`. */
  get exists(): boolean {
    return existsSync(this.home.db);
  }

  /**
   * Queues a worker and starts it at once if the queue's rules allow (cap, write scopes, budget);
   * returns immediately with its record (`running`, or `queued` with what it waits for).
   */
  spawn(input: SpawnInput): WorkerRecord {
    const label = input.label ?? this.nextLabel();
    const prepared = prepareSpawn(input, label, this.env, path.join(this.home.root, 'templates'));
    const ctx = this.ctx;
    if (ctx.workers.get(label)) {
      throw new BatonError(
        'CONFLICT',
        `label "${label}" is already used; pick another --label or run: baton rm ${label}`,
      );
    }
    const dir = this.home.workerDir(label);
    rmSync(dir, { recursive: true, force: true });
    const record = firstAttempt(prepared, materialize(prepared, dir), input.runId ?? null);
    try {
      ctx.db
        .transaction(() => {
          if (record.runId !== null) ctx.runs.ensure(record.runId, input.budgetTokens ?? null);
          ctx.workers.insert(record);
          if (record.state === 'failed') {
            const ended = { state: record.state, reason: record.reason, exitCode: null };
            ctx.events.append(label, record.createdAt, [{ type: 'worker.ended', ...ended }]);
          }
        })
        .immediate();
    } catch (cause) {
      const code = (cause as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_CONSTRAINT')) {
        throw new BatonError('CONFLICT', `label "${label}" is already used; pick another --label`, { cause });
      }
      throw new BatonError('STORE', `could not record worker ${label}: ${(cause as Error).message}`, {
        cause,
      });
    }
    this.dispatch();
    return this.get(label);
  }

  /** Plans (update_plan semantics) of runs, with their history. */
  get plans(): PlanService {
    const ctx = this.ctx;
    return new PlanService(new PlanRepo(ctx.db), ctx.runs);
  }

  /** Runs (pattern runs and `--run` groups), newest first, and one by id. */
  get runs(): RunRepo {
    return this.ctx.runs;
  }

  /** What a spawn would run, without running or writing anything (`baton prompt`). */
  preview(input: SpawnInput): { prompt: string; sandbox: string | null; schema: unknown; writes: string[] } {
    const built = buildSpec(
      input,
      input.label ?? 'preview',
      this.env,
      path.join(this.home.root, 'templates'),
    );
    return {
      prompt: built.spec.prompt,
      sandbox: built.spec.sandbox,
      schema: built.schema ?? null,
      writes: built.writes,
    };
  }

  /** Starts whatever the queue allows now; returns why the others still wait. */
  dispatch(): DispatchPlan {
    return dispatchQueue(this.ctx);
  }

  /** Why a queued worker waits, and its place in the queue (undefined if not queued). */
  queueStatus(label: string): { position: number; waitingFor: string } | undefined {
    return this.dispatch().waiting.get(label);
  }

  private launch(w: WorkerRecord): Launched {
    const dir = this.home.workerDir(w.label);
    return launchDetached({
      home: this.home.root,
      workerDir: dir,
      cookie: dir,
      argv: w.argv,
      env: { ...this.env, ...w.env },
      cwd: w.cwd,
      timeoutMs: w.timeoutMs,
      graceMs: w.graceMs,
      io: w.io,
    });
  }

  /** The next free `<prefix><n>` label: W1, W2… for workers, S1, S2… for terminal sessions. */
  nextLabel(prefix = 'W'): string {
    if (!this.exists) return `${prefix}1`;
    const pattern = new RegExp(`^${prefix}(\\d+)$`);
    let max = 0;
    for (const l of this.ctx.workers.labels()) {
      const m = pattern.exec(l);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return `${prefix}${max + 1}`;
  }

  /** Records how much of a terminal session's output has been shown (exec/write). */
  setReadOffset(label: string, offset: number): void {
    this.ctx.workers.update(label, { readOffset: offset });
  }

  /**
   * One worker, brought up to date: its latest attempt (retries and follow-ups are attempts), or
   * `attempt` N of it. Unknown labels are bad input.
   */
  get(label: string, attempt?: number): WorkerRecord {
    const attempts = this.exists ? this.ctx.workers.attempts(label) : [];
    const pick = attempt === undefined ? attempts.at(-1) : attempts.find((a) => a.attempt === attempt);
    if (attempt !== undefined && attempts.length > 0 && !pick) {
      throw new BatonError(
        'NOT_FOUND',
        `${label} has attempts 1-${attempts.at(-1)?.attempt}; there is no attempt ${attempt}`,
      );
    }
    const record = pick ? syncWorker(this.ctx, pick.label) : undefined;
    if (!record) throw new BatonError('NOT_FOUND', `no worker labelled "${label}"; see: baton ps`);
    return record;
  }

  /** Every attempt of a worker, first to latest. */
  attempts(label: string): WorkerRecord[] {
    this.get(label);
    return this.ctx.workers.attempts(label);
  }

  /** Starts a new attempt of an ended worker with the original prompt plus what was missing. */
  retry(label: string, add: { note?: string; contextFile?: string } = {}): WorkerRecord {
    this.get(label);
    const context =
      add.contextFile === undefined ? undefined : loadContextPack(path.resolve(add.contextFile));
    queueRetry(this.ctx, label, { note: add.note, context });
    this.dispatch();
    return this.get(label);
  }

  /** Continues an ended worker's conversation (same thread) with a new message. */
  followup(label: string, message: string): WorkerRecord {
    this.get(label);
    queueFollowup(this.ctx, label, message);
    this.dispatch();
    return this.get(label);
  }

  /** Every worker (its latest attempt, unless `allAttempts`), oldest first, brought up to date. */
  list(opts: { allAttempts?: boolean } = {}): WorkerRecord[] {
    if (!this.exists) return [];
    this.dispatch();
    // Dispatching reads only the workers that ended; a listing shows everyone's latest activity.
    for (const w of this.ctx.workers.inState('running')) syncWorker(this.ctx, w.label);
    const all = this.ctx.workers.list();
    if (opts.allAttempts) return all;
    const latest = new Map<string, WorkerRecord>();
    for (const w of all) {
      const base = w.attemptOf ?? w.label;
      const seen = latest.get(base);
      if (!seen || w.attempt > seen.attempt) latest.set(base, w);
    }
    return all.filter((w) => latest.get(w.attemptOf ?? w.label) === w);
  }

  /** Normalized events of a worker after a given event id. */
  events(label: string, afterId = 0, attempt?: number): StoredEvent[] {
    const w = this.get(label, attempt);
    return this.ctx.events.list(w.label, { afterId });
  }

  /**
   * Waits until all (or any) of the workers ended, or the timeout passed. Wakes on file changes in
   * the workers' folders (inotify), with a slow poll as a safety net for lost workers.
   */
  async wait(
    labels: string[],
    opts: { mode: WaitMode; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<WaitResult> {
    if (labels.length === 0) throw badInput('wait: name at least one worker, or use --all');
    for (const label of labels) this.get(label);
    return waitForWorkers(
      {
        get: (l) => this.get(l),
        dispatch: () => this.dispatch(),
        latestState: (l) => this.ctx.workers.latestState(l),
        workerDir: (l) => this.home.workerDir(l),
        holdLease: () => this.holdDispatcherLease(),
      },
      labels,
      opts,
    );
  }

  /** True when another live baton process holds the dispatcher lease. */
  otherDispatcherAlive(): boolean {
    return otherDispatcherAlive(this.home.root);
  }

  /**
   * While this process waits it dispatches the queue itself, so exiting workers need not start a
   * `baton _dispatch` process each. Returns the release function.
   */
  holdDispatcherLease(): () => void {
    return holdDispatcherLease(this.home.root);
  }

  /** Backends that hit a rate limit: their lowered cap now and until when they pause. */
  backendLimits(): BackendLimit[] {
    return this.exists ? [...backendLimits(this.ctx).values()] : [];
  }

  /** Stops workers (SIGINT → grace → SIGKILL of the whole tree) and returns their end records. */
  async stop(labels: string[], opts: { graceMs?: number; reason?: string } = {}): Promise<WorkerRecord[]> {
    const targets = labels.map((l) => this.get(l));
    const reason = opts.reason ?? 'stopped by baton stop';
    for (const w of targets.filter((t) => t.state === 'queued')) this.cancelQueued(w.label, reason);
    await Promise.all(
      targets
        .filter((w) => w.state === 'running')
        .map((w) =>
          stopTree({
            workerDir: this.home.workerDir(w.label),
            cookie: this.home.workerDir(w.label),
            graceMs: opts.graceMs ?? w.graceMs,
            reason,
          }),
        ),
    );
    this.dispatch();
    return labels.map((l) => this.get(l));
  }

  private cancelQueued(label: string, reason: string): void {
    const ctx = this.ctx;
    ctx.db
      .transaction(() => {
        if (ctx.workers.get(label)?.state !== 'queued') return;
        const now = Date.now();
        ctx.workers.update(label, { state: 'cancelled', reason, endedAt: now });
        ctx.events.append(label, now, [{ type: 'worker.ended', state: 'cancelled', reason, exitCode: null }]);
      })
      .immediate();
  }

  /** Forgets ended workers, every attempt (rows, events, folders). Running ones are refused. */
  remove(labels: string[]): string[] {
    const removed: string[] = [];
    for (const label of labels) {
      const w = this.get(label);
      if (!isEnded(w.state))
        throw badInput(`rm: ${label} is still ${w.state}; stop it first: baton stop ${label}`);
      for (const a of this.ctx.workers.attempts(label)) {
        this.ctx.workers.delete(a.label);
        rmSync(this.home.workerDir(a.label), { recursive: true, force: true });
      }
      removed.push(label);
    }
    return removed;
  }

  close(): void {
    this.dbHandle?.close();
    this.dbHandle = undefined;
    this.repos = undefined;
  }
}
