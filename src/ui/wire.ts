/**
 * The dashboard's wire format: what the server sends the page, as JSON. Types only, so the
 * front-end (`ui/`) imports the same definitions the server builds. Nothing here carries a
 * worker's environment or argv: those may hold secrets, and the page never needs them.
 */

export type WorkerStateName =
  'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'lost';

/** One worker attempt as a lane or table row shows it. Times are epoch milliseconds. */
export interface WorkerSummary {
  /** The row's own id: the label, or `<label>~<n>` for a later attempt. */
  id: string;
  /** The label the user gave (the same for every attempt). */
  label: string;
  attempt: number;
  kind: 'run' | 'retry' | 'followup';
  runId: string | null;
  backend: string;
  role: string;
  state: WorkerStateName;
  reason: string | null;
  exitCode: number | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  tokens: number;
  /** USD spent, as the CLI priced it; null when it reports no cost (codex, gemini). */
  costUsd: number | null;
  lastActivity: string | null;
  /** For queued workers: their place in the queue and what they wait for. */
  waitingFor: string | null;
  /** Bytes of output baton has read so far: grows while the worker produces output. */
  outputBytes: number;
  /** True when the backend's stdout is an event stream (codex) rather than terminal output. */
  streamsEvents: boolean;
}

/** Everything the worker page shows besides events and output. */
export interface WorkerDetail extends WorkerSummary {
  task: string;
  cwd: string;
  sandbox: string | null;
  model: string | null;
  threadId: string | null;
  usage: {
    inputTokens: number;
    cachedInputTokens: number;
    outputTokens: number;
    reasoningTokens: number;
    costUsd?: number;
  } | null;
  finalMessage: string | null;
  turnError: string | null;
  timeoutMs: number | null;
  writes: string[];
  io: 'none' | 'pipe' | 'tty';
  /** Every attempt of this worker, first to latest. */
  attempts: WorkerSummary[];
}

/** How the page colours an event row. */
export type EventTone = 'info' | 'ok' | 'warn' | 'error';

/** One normalized event, ready to display. */
export interface EventRow {
  id: number;
  at: number;
  type: string;
  /** One readable line (`describeEvent`). */
  text: string;
  tone: EventTone;
  /** The command, for command events. */
  command: string | null;
  exitCode: number | null;
  /** Longer text (command output, message, error), clipped. */
  detail: string | null;
}

export interface EventPage {
  events: EventRow[];
  /** Pass as `after` to get the next page. */
  last: number;
  /** True when more events are stored after this page. */
  more: boolean;
}

export interface WorkerCounts {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

/** One run (a pattern run, a `--run` group) in the runs table. */
export interface RunSummary {
  id: string;
  pattern: string | null;
  title: string | null;
  /** The run's own state; `open` groups show `running` while any worker is active, else `ended`. */
  state: string;
  createdAt: number;
  endedAt: number | null;
  /** Time from creation to end (or to the last worker's end), null while active. */
  durationMs: number | null;
  budgetTokens: number | null;
  exhausted: boolean;
  workers: WorkerCounts;
  tokens: number;
  /** Summed over the workers that report a cost; null when none does. */
  costUsd: number | null;
  /** Plan progress: completed steps out of all; null without a plan. */
  plan: { done: number; total: number; updates: number } | null;
  hasReport: boolean;
}

/** Lists carry the model's revision, so the page can tell them from older live updates. */
export interface RunsPage {
  rev: number;
  runs: RunSummary[];
  /** True when older runs exist beyond this page. */
  more: boolean;
  /** Workers that belong to no run (plain `baton spawn`). */
  unassigned: WorkerCounts;
}

export interface PlanStepView {
  step: string;
  status: 'pending' | 'in_progress' | 'completed';
}

export interface RunDetail {
  rev: number;
  run: RunSummary;
  plan: {
    steps: PlanStepView[];
    history: { id: number; at: number; explanation: string | null; steps: PlanStepView[] }[];
  };
  workers: WorkerSummary[];
  report: string | null;
}

export interface WorkersPage {
  rev: number;
  /** Latest attempts, newest first, at most the limit asked for. */
  workers: WorkerSummary[];
  /** How many there are in all. */
  total: number;
}

/** Messages on the live stream (`api/stream`, server-sent events named by `type`). */
export type LiveMessage =
  | { type: 'hello'; rev: number; now: number }
  | { type: 'workers'; rev: number; upsert: WorkerSummary[]; remove: string[] }
  | { type: 'runs'; rev: number; upsert: RunSummary[] }
  | { type: 'problem'; message: string };
