import { z } from 'zod';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { usageSchema, type Usage, type WorkerState } from '../events.js';

const stateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'lost']);

const rowSchema = z.object({
  label: z.string(),
  backend: z.string(),
  role: z.string(),
  cwd: z.string(),
  sandbox: z.string().nullable(),
  task: z.string(),
  prompt: z.string(),
  argv: z.string(),
  schema_path: z.string().nullable(),
  timeout_ms: z.number().nullable(),
  grace_ms: z.number(),
  state: stateSchema,
  reason: z.string().nullable(),
  exit_code: z.number().nullable(),
  pid: z.number().nullable(),
  pid_start: z.string().nullable(),
  created_at: z.number(),
  started_at: z.number().nullable(),
  ended_at: z.number().nullable(),
  stdout_offset: z.number(),
  thread_id: z.string().nullable(),
  final_message: z.string().nullable(),
  usage: z.string().nullable(),
  turn_status: z.enum(['completed', 'failed']).nullable(),
  turn_error: z.string().nullable(),
  last_activity: z.string().nullable(),
  run_id: z.string().nullable(),
  writes: z.string(),
  max_parallel: z.number(),
  env: z.string(),
  io: z.enum(['none', 'pipe', 'tty']),
  read_offset: z.number(),
  attempt: z.number(),
  attempt_of: z.string().nullable(),
  retries: z.number(),
  retry_timeouts: z.number(),
  not_before: z.number().nullable(),
  extra_args: z.string(),
  model: z.string().nullable(),
  kind: z.enum(['run', 'retry', 'followup']),
  retry_settled: z.number(),
});

/** Everything baton knows about one worker; the store's row, validated and camel-cased. */
export interface WorkerRecord {
  label: string;
  backend: string;
  role: string;
  cwd: string;
  sandbox: string | null;
  task: string;
  prompt: string;
  argv: string[];
  schemaPath: string | null;
  timeoutMs: number | null;
  graceMs: number;
  state: WorkerState;
  reason: string | null;
  exitCode: number | null;
  pid: number | null;
  pidStart: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  stdoutOffset: number;
  threadId: string | null;
  finalMessage: string | null;
  usage: Usage | null;
  turnStatus: 'completed' | 'failed' | null;
  turnError: string | null;
  lastActivity: string | null;
  runId: string | null;
  /** Absolute paths this worker may write (its write scope); [] for readers. */
  writes: string[];
  /** The cap on running workers of this backend that this worker waits under. */
  maxParallel: number;
  /** Extra environment the worker is launched with (not the whole process env). */
  env: Record<string, string>;
  /** Terminal sessions: 'pipe' or 'tty' stdin you can write to; 'none' = stdin is /dev/null. */
  io: WorkerIo;
  /** How far `baton exec`/`write` has shown a session's output. */
  readOffset: number;
  /** 1 for the first run; retries and follow-ups are later attempts of the same worker. */
  attempt: number;
  /** The worker's own label when this is a later attempt (its row label is `<label>~<n>`). */
  attemptOf: string | null;
  /** --retries: how many automatic retries transient failures get. */
  retries: number;
  /** --retry-timeouts: whether timed_out counts as transient. */
  retryTimeouts: boolean;
  /** A queued retry does not start before this time (backoff). */
  notBefore: number | null;
  /** Arguments after `--` (extra codex flags; the shell command). */
  extraArgs: string[];
  /** codex -m, if given. */
  model: string | null;
  /** How this attempt came to be: the first run, a retry, or a follow-up in the same thread. */
  kind: 'run' | 'retry' | 'followup';
  /** The retry policy has dealt with this ended attempt (retried it, or found nothing to retry). */
  retrySettled: boolean;
}

export type WorkerIo = 'none' | 'pipe' | 'tty';

const stringList = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

function fromRow(row: unknown): WorkerRecord {
  const r = rowSchema.parse(row);
  return {
    label: r.label,
    backend: r.backend,
    role: r.role,
    cwd: r.cwd,
    sandbox: r.sandbox,
    task: r.task,
    prompt: r.prompt,
    argv: stringList.parse(JSON.parse(r.argv)),
    schemaPath: r.schema_path,
    timeoutMs: r.timeout_ms,
    graceMs: r.grace_ms,
    state: r.state,
    reason: r.reason,
    exitCode: r.exit_code,
    pid: r.pid,
    pidStart: r.pid_start,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    stdoutOffset: r.stdout_offset,
    threadId: r.thread_id,
    finalMessage: r.final_message,
    usage: r.usage === null ? null : usageSchema.parse(JSON.parse(r.usage)),
    turnStatus: r.turn_status,
    turnError: r.turn_error,
    lastActivity: r.last_activity,
    runId: r.run_id,
    writes: stringList.parse(JSON.parse(r.writes)),
    maxParallel: r.max_parallel,
    env: stringMap.parse(JSON.parse(r.env)),
    io: r.io,
    readOffset: r.read_offset,
    attempt: r.attempt,
    attemptOf: r.attempt_of,
    retries: r.retries,
    retryTimeouts: r.retry_timeouts === 1,
    notBefore: r.not_before,
    extraArgs: stringList.parse(JSON.parse(r.extra_args)),
    model: r.model,
    kind: r.kind,
    retrySettled: r.retry_settled === 1,
  };
}

const COLUMN: Record<keyof WorkerRecord, string> = {
  label: 'label',
  backend: 'backend',
  role: 'role',
  cwd: 'cwd',
  sandbox: 'sandbox',
  task: 'task',
  prompt: 'prompt',
  argv: 'argv',
  schemaPath: 'schema_path',
  timeoutMs: 'timeout_ms',
  graceMs: 'grace_ms',
  state: 'state',
  reason: 'reason',
  exitCode: 'exit_code',
  pid: 'pid',
  pidStart: 'pid_start',
  createdAt: 'created_at',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  stdoutOffset: 'stdout_offset',
  threadId: 'thread_id',
  finalMessage: 'final_message',
  usage: 'usage',
  turnStatus: 'turn_status',
  turnError: 'turn_error',
  lastActivity: 'last_activity',
  runId: 'run_id',
  writes: 'writes',
  maxParallel: 'max_parallel',
  env: 'env',
  io: 'io',
  readOffset: 'read_offset',
  attempt: 'attempt',
  attemptOf: 'attempt_of',
  retries: 'retries',
  retryTimeouts: 'retry_timeouts',
  notBefore: 'not_before',
  extraArgs: 'extra_args',
  model: 'model',
  kind: 'kind',
  retrySettled: 'retry_settled',
};

const JSON_COLUMNS: ReadonlySet<keyof WorkerRecord> = new Set([
  'argv',
  'usage',
  'writes',
  'env',
  'extraArgs',
]);

function toColumnValue(key: keyof WorkerRecord, value: unknown): unknown {
  if (key === 'retryTimeouts' || key === 'retrySettled') return value ? 1 : 0;
  if (JSON_COLUMNS.has(key)) return value === null ? null : JSON.stringify(value);
  return value;
}

/** Reads and writes worker rows. All SQL for the `workers` table lives here. */
export class WorkerRepo {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Db) {}

  /** Prepared statements are cached: polling loops run the same few queries many times. */
  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  insert(record: WorkerRecord): void {
    const keys = Object.keys(COLUMN) as (keyof WorkerRecord)[];
    const sql = `INSERT INTO workers (${keys.map((k) => COLUMN[k]).join(', ')}) VALUES (${keys
      .map(() => '?')
      .join(', ')})`;
    this.prepare(sql).run(...keys.map((k) => toColumnValue(k, record[k])));
  }

  update(label: string, patch: Partial<WorkerRecord>): void {
    const keys = (Object.keys(patch) as (keyof WorkerRecord)[]).filter((k) => k !== 'label');
    if (keys.length === 0) return;
    const sql = `UPDATE workers SET ${keys.map((k) => `${COLUMN[k]} = ?`).join(', ')} WHERE label = ?`;
    this.prepare(sql).run(...keys.map((k) => toColumnValue(k, patch[k])), label);
  }

  get(label: string): WorkerRecord | undefined {
    const row = this.prepare('SELECT * FROM workers WHERE label = ?').get(label);
    return row === undefined ? undefined : fromRow(row);
  }

  list(): WorkerRecord[] {
    return this.prepare('SELECT * FROM workers ORDER BY created_at, rowid').all().map(fromRow);
  }

  /** Workers in a given state, oldest first (the queue order for `queued`). */
  inState(state: WorkerState): WorkerRecord[] {
    return this.prepare('SELECT * FROM workers WHERE state = ? ORDER BY created_at, rowid')
      .all(state)
      .map(fromRow);
  }

  /** Every attempt of a worker, first to latest. */
  /** The state of a worker's latest attempt, without reading the whole row (polling loops). */
  latestState(label: string): WorkerState | undefined {
    const state: unknown = this.prepare(
      'SELECT state FROM workers WHERE label = ? OR attempt_of = ? ORDER BY attempt DESC LIMIT 1',
    )
      .pluck()
      .get(label, label);
    return state === undefined ? undefined : stateSchema.parse(state);
  }

  attempts(label: string): WorkerRecord[] {
    return this.prepare('SELECT * FROM workers WHERE label = ? OR attempt_of = ? ORDER BY attempt')
      .all(label, label)
      .map(fromRow);
  }

  /** Ended attempts (other than successes and stops) that the retry policy has not looked at yet. */
  retryCandidates(): WorkerRecord[] {
    return this.prepare(
      `SELECT * FROM workers WHERE state IN ('failed', 'lost', 'timed_out') AND retry_settled = 0
         ORDER BY created_at`,
    )
      .all()
      .map(fromRow);
  }

  labels(): string[] {
    return stringList.parse(this.prepare('SELECT label FROM workers').pluck().all());
  }

  /** Every worker of a run (for its token budget). */
  /** How many workers of a backend started at or after a time and succeeded (a rate limit's recovery). */
  successesSince(backend: string, at: number): number {
    return z
      .number()
      .parse(
        this.prepare(
          `SELECT COUNT(*) FROM workers WHERE backend = ? AND state = 'succeeded' AND started_at >= ?`,
        )
          .pluck()
          .get(backend, at),
      );
  }

  byRun(runId: string): WorkerRecord[] {
    return this.prepare('SELECT * FROM workers WHERE run_id = ?').all(runId).map(fromRow);
  }

  delete(label: string): void {
    this.prepare('DELETE FROM events WHERE worker = ?').run(label);
    this.prepare('DELETE FROM workers WHERE label = ?').run(label);
  }
}
