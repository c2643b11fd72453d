import { useEffect, useState } from 'preact/hooks';
import type { LiveMessage, RunSummary, WorkerSummary } from '../../src/ui/wire';

type Listener = () => void;

/**
 * What the page knows, kept current by the server's live stream. Lists fetched over HTTP are
 * merged in with their revision, so an older list never overwrites a newer live update.
 */
class LiveStore {
  readonly workers = new Map<string, { rev: number; w: WorkerSummary }>();
  readonly runs = new Map<string, { rev: number; r: RunSummary }>();
  /** The newest model revision seen, from the stream or a fetched list. */
  maxRev = 0;
  connected = false;
  problem: string | null = null;
  /** Bumped on every change; views re-render when it moves. */
  version = 0;
  /** Bumped when the stream (re)connects: views re-fetch what they show. */
  epoch = 0;
  private readonly listeners = new Set<Listener>();
  private frame = 0;

  connect(): void {
    const source = new EventSource('api/stream');
    const on = (type: LiveMessage['type'], fn: (m: never) => void) =>
      source.addEventListener(type, (e) => fn(JSON.parse((e as MessageEvent<string>).data) as never));
    on('hello', (m: Extract<LiveMessage, { type: 'hello' }>) => {
      this.maxRev = Math.max(this.maxRev, m.rev);
      this.connected = true;
      this.problem = null;
      this.epoch += 1;
      this.changed();
    });
    on('workers', (m: Extract<LiveMessage, { type: 'workers' }>) => {
      this.putWorkers(m.rev, m.upsert);
      for (const id of m.remove) this.workers.delete(id);
      this.changed();
    });
    on('runs', (m: Extract<LiveMessage, { type: 'runs' }>) => {
      this.putRuns(m.rev, m.upsert);
      this.changed();
    });
    on('problem', (m: Extract<LiveMessage, { type: 'problem' }>) => {
      this.problem = m.message;
      this.changed();
    });
    source.onerror = () => {
      this.connected = false;
      this.changed();
    };
  }

  putWorkers(rev: number, list: readonly WorkerSummary[]): void {
    this.maxRev = Math.max(this.maxRev, rev);
    for (const w of list) {
      const seen = this.workers.get(w.id);
      if (!seen || seen.rev <= rev) this.workers.set(w.id, { rev, w });
    }
  }

  putRuns(rev: number, list: readonly RunSummary[]): void {
    this.maxRev = Math.max(this.maxRev, rev);
    for (const r of list) {
      const seen = this.runs.get(r.id);
      if (!seen || seen.rev <= rev) this.runs.set(r.id, { rev, r });
    }
  }

  worker(id: string): WorkerSummary | undefined {
    return this.workers.get(id)?.w;
  }

  workersOf(runId: string): WorkerSummary[] {
    const out: WorkerSummary[] = [];
    for (const { w } of this.workers.values()) if (w.runId === runId) out.push(w);
    return out;
  }

  /** Re-render at most once per animation frame, however many messages arrived. */
  changed(): void {
    this.version += 1;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const fn of this.listeners) fn();
    });
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

export const live = new LiveStore();

/** Re-renders the calling component whenever the live store changes. */
export function useLive(): LiveStore {
  const [, setVersion] = useState(0);
  useEffect(() => live.subscribe(() => setVersion(live.version)), []);
  return live;
}

/** The current time, ticking every `ms` (for elapsed times and running lanes). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
