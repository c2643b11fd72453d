import { formatElapsed, type WorkerView } from '../../index.js';

/** The few facts an orchestrating model needs about a worker; never its output. */
export interface WorkerSummary {
  label: string;
  state: string;
  backend: string;
  role: string;
  elapsed_ms: number;
  tokens: number;
  /** Why it ended (if not succeeded), why it waits (if queued), else its last activity. */
  note: string | null;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function summarize(v: WorkerView, waitingFor?: string): WorkerSummary {
  const note = waitingFor
    ? `waiting for ${waitingFor}`
    : v.state !== 'succeeded' && v.reason
      ? v.reason
      : v.lastActivity;
  return {
    label: v.label,
    state: v.state,
    backend: v.backend,
    role: v.role,
    elapsed_ms: v.elapsedMs,
    tokens: v.tokens,
    note: note === null ? null : clip(note, 160),
  };
}

/** One line a model can scan: `W1 succeeded · codex/reviewer · 12s · 3400 tok · note`. */
export function summaryLine(s: WorkerSummary): string {
  const parts = [`${s.label} ${s.state}`, `${s.backend}/${s.role}`, formatElapsed(s.elapsed_ms)];
  if (s.tokens > 0) parts.push(`${s.tokens} tok`);
  if (s.note) parts.push(s.note);
  return parts.join(' · ');
}

/**
 * Lists as many summaries as the budget allows, newest last; older ones are dropped first with a
 * count, so a long-lived state directory cannot flood the model's context.
 */
export function summaryLines(all: WorkerSummary[], maxTokens: number): { lines: string[]; omitted: number } {
  const budget = maxTokens * 4;
  const lines: string[] = [];
  let used = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const item = all[i];
    if (item === undefined) continue;
    const line = summaryLine(item);
    if (used + line.length + 1 > budget && lines.length > 0) break;
    lines.unshift(line);
    used += line.length + 1;
  }
  return { lines, omitted: all.length - lines.length };
}
