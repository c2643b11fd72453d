import { z } from 'zod';
import type { Db } from './db.js';

/** A run groups workers (a pattern, or `--run NAME`) and may carry a token budget. */
export interface RunRecord {
  id: string;
  budgetTokens: number | null;
  createdAt: number;
  exhaustedAt: number | null;
}

const rowSchema = z.object({
  id: z.string(),
  budget_tokens: z.number().nullable(),
  created_at: z.number(),
  exhausted_at: z.number().nullable(),
});

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
    if (row === undefined) return undefined;
    const r = rowSchema.parse(row);
    return { id: r.id, budgetTokens: r.budget_tokens, createdAt: r.created_at, exhaustedAt: r.exhausted_at };
  }

  markExhausted(id: string, at: number): void {
    this.db.prepare('UPDATE runs SET exhausted_at = ? WHERE id = ? AND exhausted_at IS NULL').run(at, id);
  }
}
