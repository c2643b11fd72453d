import { z } from 'zod';
import type { Db } from './db.js';

/** How a pattern run ended; `open` while it runs (or for plain `--run` groups). */
export type RunState = 'open' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A run groups workers (a pattern, or `--run NAME`) and may carry a token budget. */
export interface RunRecord {
  id: string;
  budgetTokens: number | null;
  createdAt: number;
  exhaustedAt: number | null;
  pattern: string | null;
  state: RunState;
  title: string | null;
  endedAt: number | null;
  /** The curated markdown report of a pattern run. */
  report: string | null;
  /** The pattern's structured result (JSON text). */
  result: string | null;
}

const rowSchema = z.object({
  id: z.string(),
  budget_tokens: z.number().nullable(),
  created_at: z.number(),
  exhausted_at: z.number().nullable(),
  pattern: z.string().nullable(),
  state: z.enum(['open', 'running', 'succeeded', 'failed', 'cancelled']),
  title: z.string().nullable(),
  ended_at: z.number().nullable(),
  report: z.string().nullable(),
  result: z.string().nullable(),
});

function fromRow(row: unknown): RunRecord {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    budgetTokens: r.budget_tokens,
    createdAt: r.created_at,
    exhaustedAt: r.exhausted_at,
    pattern: r.pattern,
    state: r.state,
    title: r.title,
    endedAt: r.ended_at,
    report: r.report,
    result: r.result,
  };
}

/** Reads and writes the `runs` table. */
export class RunRepo {
  constructor(private readonly db: Db) {}

  /** Creates the run if new; a given budget replaces the stored one. */
  ensure(id: string, budgetTokens: number | null): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, budget_tokens, created_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET budget_tokens = COALESCE(excluded.budget_tokens, runs.budget_tokens)`,
      )
      .run(id, budgetTokens, Date.now());
  }

  get(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id);
    return row === undefined ? undefined : fromRow(row);
  }

  /** Newest first. */
  list(limit = 100): RunRecord[] {
    return this.db
      .prepare('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?')
      .all(limit)
      .map(fromRow);
  }

  markExhausted(id: string, at: number): void {
    this.db.prepare('UPDATE runs SET exhausted_at = ? WHERE id = ? AND exhausted_at IS NULL').run(at, id);
  }

  /** Starts a pattern run. */
  begin(id: string, pattern: string, title: string, budgetTokens: number | null): void {
    this.ensure(id, budgetTokens);
    this.db
      .prepare(`UPDATE runs SET pattern = ?, title = ?, state = 'running' WHERE id = ?`)
      .run(pattern, title, id);
  }

  /** Ends a pattern run with its report and result. */
  finish(id: string, state: RunState, report: string, result: unknown): void {
    this.db
      .prepare('UPDATE runs SET state = ?, ended_at = ?, report = ?, result = ? WHERE id = ?')
      .run(state, Date.now(), report, JSON.stringify(result), id);
  }
}
