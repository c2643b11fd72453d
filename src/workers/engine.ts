import { existsSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { ensureHome, resolveHome, type BatonHome } from '../home.js';
import { openDb, type Db } from '../store/db.js';
import { EventRepo, type StoredEvent } from '../store/events.js';
import { WorkerRepo, type WorkerRecord } from '../store/workers.js';
import { BatonError, badInput } from '../errors.js';
import { isEnded } from '../events.js';
import { launchDetached } from './launch.js';
import { materialize, prepareSpawn, type SpawnInput } from './spawn.js';
import { stopTree } from './stop.js';
import { syncWorker, type SyncContext } from './sync.js';

/** How `wait` decides it is done: every worker ended, or the first one. */
export type WaitMode = 'all' | 'any';

export interface WaitResult {
  /** True when the wait condition held before the timeout. */
  satisfied: boolean;
  workers: WorkerRecord[];
}

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
  private repos: { workers: WorkerRepo; events: EventRepo } | undefined;

  constructor(opts: EngineOptions = {}) {
    this.env = opts.env ?? process.env;
    this.home = resolveHome(opts.home ? { ...this.env, BATON_HOME: opts.home } : this.env);
  }

  private get ctx(): SyncContext {
    if (!this.dbHandle || !this.repos) {
      ensureHome(this.home);
      this.dbHandle = openDb(this.home.db);
      this.repos = { workers: new WorkerRepo(this.dbHandle), events: new EventRepo(this.dbHandle) };
    }
    return { db: this.dbHandle, ...this.repos, workerDir: (l) => this.home.workerDir(l) };
  }

  /** False until something was spawned here: lets read-only commands avoid creating `.baton/`. */
  get exists(): boolean {
    return existsSync(this.home.db);
  }

  /** Starts a worker in the background and returns at once with its record. */
  spawn(input: SpawnInput): WorkerRecord {
    const label = input.label ?? this.nextLabel();
    const prepared = prepareSpawn(input, label, this.env);
    const { workers } = this.ctx;
    if (workers.get(label)) {
      throw new BatonError(
        'CONFLICT',
        `label "${label}" is already used; pick another --label or run: baton rm ${label}`,
      );
    }
    const dir = this.home.workerDir(label);
    rmSync(dir, { recursive: true, force: true });
    const { argv, spec } = materialize(prepared, dir);
    const record: WorkerRecord = {
      ...spec,
      argv,
      timeoutMs: prepared.timeoutMs,
      graceMs: prepared.graceMs,
      state: 'running',
      reason: null,
      exitCode: null,
      pid: null,
      pidStart: null,
      createdAt: Date.now(),
      startedAt: null,
      endedAt: null,
      stdoutOffset: 0,
      threadId: null,
      finalMessage: null,
      usage: null,
      turnStatus: null,
      turnError: null,
      lastActivity: null,
      runId: input.runId ?? null,
    };
    try {
      workers.insert(record);
    } catch (cause) {
      throw new BatonError('CONFLICT', `label "${label}" is already used; pick another --label`, { cause });
    }
    const launched = launchDetached({
      workerDir: dir,
      cookie: dir,
      argv,
      env: { ...this.env, ...prepared.env },
      cwd: spec.cwd,
      timeoutMs: prepared.timeoutMs,
      graceMs: prepared.graceMs,
    });
    const patch = { pid: launched.pid, pidStart: launched.pidStart, startedAt: launched.startedAt };
    workers.update(label, patch);
    this.ctx.events.append(label, launched.startedAt, [{ type: 'worker.started', pid: launched.pid }]);
    return { ...record, ...patch };
  }

  private nextLabel(): string {
    if (!this.exists) return 'W1';
    const used = this.ctx.workers.labels();
    let max = 0;
    for (const l of used) {
      const m = /^W(\d+)$/.exec(l);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return `W${max + 1}`;
  }

  /** One worker, brought up to date; unknown labels are bad input. */
  get(label: string): WorkerRecord {
    const record = this.exists ? syncWorker(this.ctx, label) : undefined;
    if (!record) throw new BatonError('NOT_FOUND', `no worker labelled "${label}"; see: baton ps`);
    return record;
  }

  /** Every worker, oldest first, brought up to date. */
  list(): WorkerRecord[] {
    if (!this.exists) return [];
    const { workers } = this.ctx;
    for (const w of workers.list()) if (w.state === 'running') syncWorker(this.ctx, w.label);
    return workers.list();
  }

  /** Normalized events of a worker after a given event id. */
  events(label: string, afterId = 0): StoredEvent[] {
    this.get(label);
    return this.ctx.events.list(label, { afterId });
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
    const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
    let wake: (() => void) | undefined;
    const watchers: FSWatcher[] = [];
    for (const label of labels) {
      this.get(label);
      try {
        watchers.push(watch(this.home.workerDir(label), () => wake?.()));
      } catch {
        // the folder is gone: the poll will notice
      }
    }
    try {
      for (;;) {
        const workers = labels.map((l) => this.get(l));
        const ended = workers.filter((w) => isEnded(w.state)).length;
        const satisfied = opts.mode === 'all' ? ended === workers.length : ended > 0;
        if (satisfied) return { satisfied, workers };
        const left = deadline - Date.now();
        if (left <= 0 || opts.signal?.aborted) return { satisfied: false, workers };
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(250, left));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      for (const w of watchers) w.close();
    }
  }

  /** Stops workers (SIGINT → grace → SIGKILL of the whole tree) and returns their end records. */
  async stop(labels: string[], opts: { graceMs?: number; reason?: string } = {}): Promise<WorkerRecord[]> {
    const targets = labels.map((l) => this.get(l));
    await Promise.all(
      targets
        .filter((w) => !isEnded(w.state))
        .map((w) =>
          stopTree({
            workerDir: this.home.workerDir(w.label),
            cookie: this.home.workerDir(w.label),
            graceMs: opts.graceMs ?? w.graceMs,
            reason: opts.reason ?? 'stopped by baton stop',
          }),
        ),
    );
    return labels.map((l) => this.get(l));
  }

  /** Forgets ended workers (their rows, events and folders). Running ones are refused. */
  remove(labels: string[]): string[] {
    const removed: string[] = [];
    for (const label of labels) {
      const w = this.get(label);
      if (!isEnded(w.state))
        throw badInput(`rm: ${label} is still ${w.state}; stop it first: baton stop ${label}`);
      this.ctx.workers.delete(label);
      rmSync(this.home.workerDir(label), { recursive: true, force: true });
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
