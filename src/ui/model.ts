import type { Engine, RunRecord } from '../index.js';
import { filesStamp, storeStamp } from './changes.js';
import { countWorker, emptyCounts, isActive, latestAttempts, runSummary, workerSummary } from './views.js';
import type { RunSummary, RunsPage, WorkerCounts, WorkerSummary } from './wire.js';

/** How many of the newest runs the live feed keeps an eye on (older ones change only via workers). */
const TRACKED_RUNS = 50;

export interface ModelTiming {
  /** Re-read at least this often while workers are active (liveness, queue backoff). */
  activeMs: number;
  /** …and this often when idle, as a safety net for changes made while we were reading. */
  idleMs: number;
}

/** What changed in one poll: the live feed sends exactly this. */
export interface Changes {
  workers: WorkerSummary[];
  removed: string[];
  runs: RunSummary[];
}

/**
 * The dashboard's view of the store. It re-reads through the Engine only when a cheap
 * fingerprint (SQLite files, active workers' files) says something changed, so an idle dashboard
 * costs a few `stat` calls per poll and 64 busy workers cost one read per poll, not one per client.
 */
export class DashboardModel {
  private workers = new Map<string, WorkerSummary>();
  private byRun = new Map<string | null, WorkerSummary[]>();
  private workerJson = new Map<string, string>();
  private runJson = new Map<string, string>();
  private seenStore = '';
  private seenFiles = '';
  private readAt = 0;
  private readCostMs = 0;
  private readonly listeners = new Set<(changes: Changes) => void>();
  /** Bumped whenever anything the page shows changed. */
  rev = 0;

  constructor(
    readonly engine: Engine,
    private readonly timing: ModelTiming = { activeMs: 1000, idleMs: 2500 },
  ) {}

  /** Calls `fn` with every non-empty set of changes any poll finds (the live feed listens here). */
  subscribe(fn: (changes: Changes) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Re-reads the store if it may have changed, tells the listeners and returns what did change.
   * Request handlers poll too, so a page never reads older facts than the live feed sent.
   */
  poll(now = Date.now()): Changes {
    const none: Changes = { workers: [], removed: [], runs: [] };
    if (!this.engine.exists) return none;
    const home = this.engine.home;
    const active = [...this.workers.values()].filter(isActive).map((w) => w.id);
    const files = filesStamp(home, active);
    // A big store makes a read slow: keep reads to a third of the time, whatever changes.
    if (now - this.readAt < this.readCostMs * 3) return none;
    const due = now - this.readAt >= (active.length > 0 ? this.timing.activeMs : this.timing.idleMs);
    if (!due && files === this.seenFiles && storeStamp(home) === this.seenStore) return none;
    const started = performance.now();
    const changes = this.reread();
    this.readCostMs = performance.now() - started;
    // Our own sync writes land in the store: fingerprint it after reading so they don't re-trigger.
    // Worker files are fingerprinted before reading, so output written meanwhile is seen next
    // time; only when the set of active workers changed is there nothing earlier to compare with.
    this.seenStore = storeStamp(home);
    const nowActive = [...this.workers.values()].filter(isActive).map((w) => w.id);
    this.seenFiles = nowActive.join() === active.join() ? files : filesStamp(home, nowActive);
    this.readAt = now;
    if (changes.workers.length + changes.removed.length + changes.runs.length > 0) {
      for (const fn of this.listeners) fn(changes);
    }
    return changes;
  }

  private reread(): Changes {
    const records = this.engine.list({ allAttempts: true });
    const waiting = records.some((r) => r.state === 'queued')
      ? this.engine.dispatch().waiting
      : new Map<string, { position: number; waitingFor: string }>();
    const next = new Map<string, WorkerSummary>();
    const changed: WorkerSummary[] = [];
    const touchedRuns = new Set<string>();
    for (const r of records) {
      const q = r.state === 'queued' ? waiting.get(r.attemptOf ?? r.label) : undefined;
      const summary = workerSummary(r, q ? `#${q.position}: ${q.waitingFor}` : null);
      next.set(summary.id, summary);
      const json = JSON.stringify(summary);
      if (this.workerJson.get(summary.id) !== json) {
        this.workerJson.set(summary.id, json);
        changed.push(summary);
        if (summary.runId !== null) touchedRuns.add(summary.runId);
      }
    }
    const removed = [...this.workers.keys()].filter((id) => !next.has(id));
    for (const id of removed) {
      const runId = this.workers.get(id)?.runId;
      if (runId) touchedRuns.add(runId);
      this.workerJson.delete(id);
    }
    this.workers = next;
    this.byRun = new Map();
    for (const w of next.values()) {
      const list = this.byRun.get(w.runId);
      if (list) list.push(w);
      else this.byRun.set(w.runId, [w]);
    }
    const runs = this.changedRuns(touchedRuns);
    if (changed.length + removed.length + runs.length > 0) this.rev += 1;
    return { workers: changed, removed, runs };
  }

  private changedRuns(touched: Set<string>): RunSummary[] {
    const records = new Map<string, RunRecord>();
    for (const r of this.engine.runs.list(TRACKED_RUNS)) records.set(r.id, r);
    for (const w of this.workers.values()) if (w.runId !== null && isActive(w)) touched.add(w.runId);
    for (const id of touched) {
      if (records.has(id)) continue;
      const r = this.engine.runs.get(id);
      if (r) records.set(id, r);
    }
    const out: RunSummary[] = [];
    for (const r of records.values()) {
      const summary = this.runSummary(r);
      const json = JSON.stringify(summary);
      if (this.runJson.get(r.id) === json) continue;
      this.runJson.set(r.id, json);
      out.push(summary);
    }
    return out;
  }

  private runSummary(r: RunRecord): RunSummary {
    const plan = this.engine.plans.show(r.id);
    const progress =
      plan.history.length === 0
        ? null
        : {
            done: plan.steps.filter((s) => s.status === 'completed').length,
            total: plan.steps.length,
            updates: plan.history.length,
          };
    return runSummary(r, this.workersOf(r.id), progress);
  }

  /** Every worker the last read saw. */
  allWorkers(): WorkerSummary[] {
    return [...this.workers.values()];
  }

  /** Workers (every attempt) of a run; `null` = workers that belong to no run. */
  workersOf(runId: string | null): WorkerSummary[] {
    return this.byRun.get(runId) ?? [];
  }

  worker(id: string): WorkerSummary | undefined {
    return this.workers.get(id);
  }

  /** The newest runs, `limit` of them, with whether older ones exist. */
  runsPage(limit: number): RunsPage {
    const unassigned: WorkerCounts = emptyCounts();
    for (const w of latestAttempts(this.workersOf(null))) countWorker(unassigned, w);
    if (!this.engine.exists) return { rev: this.rev, runs: [], more: false, unassigned };
    const records = this.engine.runs.list(limit + 1);
    return {
      rev: this.rev,
      runs: records.slice(0, limit).map((r) => this.runSummary(r)),
      more: records.length > limit,
      unassigned,
    };
  }

  run(id: string): { summary: RunSummary; record: RunRecord } | undefined {
    const record = this.engine.exists ? this.engine.runs.get(id) : undefined;
    return record ? { summary: this.runSummary(record), record } : undefined;
  }
}
