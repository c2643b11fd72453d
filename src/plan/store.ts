import { z } from 'zod';
import type { Db } from '../store/db.js';
import { planStepSchema, type PlanStep } from './plan.js';

/** One entry of a plan's history: the whole plan after an update, and why it changed. */
export interface PlanUpdate {
  id: number;
  at: number;
  explanation: string | null;
  steps: PlanStep[];
}

const rowSchema = z.object({
  id: z.number(),
  at: z.number(),
  explanation: z.string().nullable(),
  steps: z.string(),
});

/** Plans are append-only: every update stores the whole plan, so the history is never lost. */
export class PlanRepo {
  constructor(private readonly db: Db) {}

  append(runId: string, steps: PlanStep[], explanation: string | null): void {
    this.db
      .prepare('INSERT INTO plan_updates (run_id, at, explanation, steps) VALUES (?, ?, ?, ?)')
      .run(runId, Date.now(), explanation, JSON.stringify(steps));
  }

  history(runId: string): PlanUpdate[] {
    return this.db
      .prepare('SELECT id, at, explanation, steps FROM plan_updates WHERE run_id = ? ORDER BY id')
      .all(runId)
      .map((row) => {
        const r = rowSchema.parse(row);
        return {
          id: r.id,
          at: r.at,
          explanation: r.explanation,
          steps: z.array(planStepSchema).parse(JSON.parse(r.steps)),
        };
      });
  }

  current(runId: string): PlanStep[] | undefined {
    return this.history(runId).at(-1)?.steps;
  }
}
