import {
  describeEvent,
  getBackend,
  isEnded,
  totalTokens,
  type RunRecord,
  type StoredEvent,
  type WorkerRecord,
} from '../index.js';
import type { EventRow, EventTone, RunSummary, WorkerCounts, WorkerDetail, WorkerSummary } from './wire.js';
import { plainText } from '../util/plain-text.js';

/** Longest text an event row carries; the full output stays in the transcript. */
const MAX_DETAIL_CHARS = 8000;

function streamsEvents(backend: string): boolean {
  try {
    return getBackend(backend).streamsEvents;
  } catch {
    return false;
  }
}

/** Plain text of a stored line that may hold terminal escapes (`ps` keeps shell lines raw). */
function plain(text: string | null): string | null {
  return text === null ? null : plainText(text);
}

/** A worker row as the page shows it: no env, no argv, no prompt. */
export function workerSummary(w: WorkerRecord, waitingFor: string | null = null): WorkerSummary {
  return {
    id: w.label,
    label: w.attemptOf ?? w.label,
    attempt: w.attempt,
    kind: w.kind,
    runId: w.runId,
    backend: w.backend,
    role: w.io === 'none' ? w.role : `session:${w.io}`,
    state: w.state,
    reason: plain(w.reason),
    exitCode: w.exitCode,
    createdAt: w.createdAt,
    startedAt: w.startedAt,
    endedAt: w.endedAt,
    tokens: totalTokens(w.usage),
    costUsd: w.usage?.costUsd ?? null,
    lastActivity: plain(w.lastActivity),
    waitingFor,
    outputBytes: w.stdoutOffset,
    streamsEvents: streamsEvents(w.backend),
  };
}

export function workerDetail(
  w: WorkerRecord,
  attempts: WorkerSummary[],
  waitingFor: string | null,
): WorkerDetail {
  return {
    ...workerSummary(w, waitingFor),
    task: w.task,
    cwd: w.cwd,
    sandbox: w.sandbox,
    model: w.model,
    threadId: w.threadId,
    usage: w.usage,
    finalMessage: w.finalMessage,
    turnError: w.turnError,
    timeoutMs: w.timeoutMs,
    writes: w.writes,
    io: w.io,
    attempts,
  };
}

function clipped(text: string): string {
  return text.length > MAX_DETAIL_CHARS
    ? `${text.slice(0, MAX_DETAIL_CHARS)}\n[… ${text.length - MAX_DETAIL_CHARS} more characters]`
    : text;
}

type RowExtras = Partial<Pick<EventRow, 'tone' | 'command' | 'exitCode' | 'detail'>>;

function extrasOf(e: StoredEvent['event']): RowExtras {
  switch (e.type) {
    case 'command.started':
      return { command: e.command };
    case 'command.completed':
      return {
        command: e.command,
        exitCode: e.exitCode,
        tone: e.exitCode === 0 ? 'ok' : 'error',
        detail: e.output ? clipped(e.output) : null,
      };
    case 'message':
    case 'reasoning':
      return { detail: clipped(e.text) };
    case 'error':
      return { tone: e.fatal ? 'error' : 'warn', detail: clipped(e.message) };
    case 'turn.failed':
      return { tone: 'error', detail: clipped(e.message) };
    case 'worker.ended':
      return { tone: endTone(e.state), exitCode: e.exitCode, detail: e.reason };
    case 'file_change':
      return { detail: e.changes.map((c) => `${c.kind} ${c.path}`).join('\n') };
    case 'todo_list':
      return { detail: e.items.map((i) => `${i.completed ? '[x]' : '[ ]'} ${i.text}`).join('\n') };
    case 'mcp_call':
      return { tone: e.error ? 'error' : 'info', detail: e.error };
    case 'turn.completed':
      return { tone: 'ok' };
    case 'usage':
    case 'worker.started':
    case 'thread.started':
    case 'turn.started':
    case 'web_search':
      return {};
    default: {
      const never: never = e;
      return never;
    }
  }
}

function endTone(state: string): EventTone {
  if (state === 'succeeded') return 'ok';
  if (state === 'cancelled') return 'warn';
  return 'error';
}

export function eventRow(e: StoredEvent): EventRow {
  const extras = extrasOf(e.event);
  return {
    id: e.id,
    at: e.at,
    type: e.event.type,
    text: describeEvent(e.event),
    tone: extras.tone ?? 'info',
    command: extras.command ?? null,
    exitCode: extras.exitCode ?? null,
    detail: extras.detail ?? null,
  };
}

export function emptyCounts(): WorkerCounts {
  return { total: 0, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
}

/** Adds one worker to a run's counts (`timed_out` and `lost` count as failed). */
export function countWorker(counts: WorkerCounts, w: WorkerSummary): void {
  counts.total += 1;
  if (w.state === 'queued' || w.state === 'running' || w.state === 'succeeded' || w.state === 'cancelled') {
    counts[w.state] += 1;
  } else {
    counts.failed += 1;
  }
}

/** A run's row: its own facts plus what its workers (latest attempts) add up to. */
export function runSummary(
  run: RunRecord,
  workers: readonly WorkerSummary[],
  plan: RunSummary['plan'],
): RunSummary {
  const counts = emptyCounts();
  let tokens = 0;
  let costUsd: number | null = null;
  let lastEnd: number | null = null;
  for (const w of workers) {
    tokens += w.tokens;
    if (w.costUsd !== null) costUsd = (costUsd ?? 0) + w.costUsd;
    if (w.endedAt !== null) lastEnd = Math.max(lastEnd ?? 0, w.endedAt);
  }
  for (const w of latestAttempts(workers)) countWorker(counts, w);
  const active = counts.running + counts.queued > 0;
  const state = run.state !== 'open' ? run.state : active ? 'running' : counts.total > 0 ? 'ended' : 'open';
  const end = run.endedAt ?? (active ? null : lastEnd);
  return {
    id: run.id,
    pattern: run.pattern,
    title: run.title,
    state,
    createdAt: run.createdAt,
    endedAt: run.endedAt,
    durationMs: end === null ? null : Math.max(0, end - run.createdAt),
    budgetTokens: run.budgetTokens,
    exhausted: run.exhaustedAt !== null,
    workers: counts,
    tokens,
    costUsd,
    plan,
    hasReport: run.report !== null && run.report.length > 0,
  };
}

/** Only the newest attempt of each label. */
export function latestAttempts(workers: readonly WorkerSummary[]): WorkerSummary[] {
  const latest = new Map<string, WorkerSummary>();
  for (const w of workers) {
    const seen = latest.get(w.label);
    if (!seen || w.attempt > seen.attempt) latest.set(w.label, w);
  }
  return [...latest.values()];
}

/** True while the worker may still change. */
export function isActive(w: WorkerSummary): boolean {
  return !isEnded(w.state);
}
