import { z } from 'zod';
import type { Db } from './db.js';

/**
 * The last rate limit a backend hit: its cap was lowered to `cap` at `hitAt`, and it starts nothing
 * new until `until`. `hits` counts hits in a row (each doubles the pause).
 */
export interface BackendLimitRecord {
  backend: string;
  cap: number;
  hitAt: number;
  until: number;
  hits: number;
  reason: string;
}

const rowSchema = z.object({
  backend: z.string(),
  cap: z.number(),
  hit_at: z.number(),
  until: z.number(),
  hits: z.number(),
  reason: z.string(),
});

function fromRow(row: unknown): BackendLimitRecord {
  const r = rowSchema.parse(row);
  return { backend: r.backend, cap: r.cap, hitAt: r.hit_at, until: r.until, hits: r.hits, reason: r.reason };
}

/** Reads and writes the `backend_limits` table: one row per backend that hit a rate limit. */
export class LimitRepo {
  constructor(private readonly db: Db) {}

  get(backend: string): BackendLimitRecord | undefined {
    const row = this.db.prepare('SELECT * FROM backend_limits WHERE backend = ?').get(backend);
    return row === undefined ? undefined : fromRow(row);
  }

  list(): BackendLimitRecord[] {
    return this.db.prepare('SELECT * FROM backend_limits ORDER BY backend').all().map(fromRow);
  }

  put(limit: BackendLimitRecord): void {
    this.db
      .prepare(
        `INSERT INTO backend_limits (backend, cap, hit_at, until, hits, reason) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (backend) DO UPDATE SET cap = excluded.cap, hit_at = excluded.hit_at,
           until = excluded.until, hits = excluded.hits, reason = excluded.reason`,
      )
      .run(limit.backend, limit.cap, limit.hitAt, limit.until, limit.hits, limit.reason);
  }

  delete(backend: string): void {
    this.db.prepare('DELETE FROM backend_limits WHERE backend = ?').run(backend);
  }
}
