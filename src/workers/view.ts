import type { Usage, WorkerState } from '../events.js';
import type { WorkerRecord } from '../store/workers.js';
import { boundText, truncationNotice } from '../util/bounded.js';

/** The public shape of a worker in `--json` output, MCP replies and the library. */
export interface WorkerView {
  /** The label the user gave (the same for every attempt). */
  label: string;
  /** 1 for the first run; retries and follow-ups count up. */
  attempt: number;
  /** How this attempt came to be. */
  kind: 'run' | 'retry' | 'followup';
  backend: string;
  role: string;
  state: WorkerState;
  reason: string | null;
  cwd: string;
  sandbox: string | null;
  pid: number | null;
  exitCode: number | null;
  threadId: string | null;
  elapsedMs: number;
  tokens: number;
  /** USD spent, as the CLI priced it; null when it reports no cost (codex, gemini). */
  costUsd: number | null;
  usage: Usage | null;
  lastActivity: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** Total tokens used (input + output), 0 when the backend reports none. */
export function totalTokens(usage: Usage | null): number {
  return usage ? usage.inputTokens + usage.outputTokens : 0;
}

/** How long the worker has run (or ran). */
export function elapsedMs(w: WorkerRecord, now = Date.now()): number {
  return (w.endedAt ?? now) - (w.startedAt ?? w.createdAt);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toView(w: WorkerRecord, now = Date.now()): WorkerView {
  return {
    label: w.attemptOf ?? w.label,
    attempt: w.attempt,
    kind: w.kind,
    backend: w.backend,
    role: w.io === 'none' ? w.role : `session:${w.io}`,
    state: w.state,
    reason: w.reason,
    cwd: w.cwd,
    sandbox: w.sandbox,
    pid: w.pid,
    exitCode: w.exitCode,
    threadId: w.threadId,
    elapsedMs: elapsedMs(w, now),
    tokens: totalTokens(w.usage),
    costUsd: w.usage?.costUsd ?? null,
    usage: w.usage,
    lastActivity: w.lastActivity,
    createdAt: new Date(w.createdAt).toISOString(),
    startedAt: iso(w.startedAt),
    endedAt: iso(w.endedAt),
  };
}

/** A worker's final message, bounded to a token budget, with its end state. */
export interface ResultView {
  label: string;
  attempt: number;
  state: WorkerState;
  reason: string | null;
  finalMessage: string | null;
  truncated: boolean;
  omittedChars: number;
  usage: Usage | null;
}

export function toResult(w: WorkerRecord, maxOutputTokens: number): ResultView {
  const bounded = boundText(w.finalMessage ?? '', maxOutputTokens, 'head');
  const notice = truncationNotice(bounded);
  return {
    label: w.attemptOf ?? w.label,
    attempt: w.attempt,
    state: w.state,
    reason: w.reason,
    finalMessage: w.finalMessage === null ? null : notice ? `${bounded.text}\n${notice}` : bounded.text,
    truncated: bounded.truncated,
    omittedChars: bounded.omittedChars,
    usage: w.usage,
  };
}
