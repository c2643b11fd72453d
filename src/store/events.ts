import { z } from 'zod';
import type { Db } from './db.js';
import { batonEventSchema, type BatonEvent } from '../events.js';

/** An event as stored: the normalized event plus its row id, worker and time. */
export interface StoredEvent {
  id: number;
  worker: string;
  at: number;
  event: BatonEvent;
}

const rowSchema = z.object({ id: z.number(), worker: z.string(), at: z.number(), data: z.string() });

/** Appends and reads normalized events. Inserts are batched: call `append` inside a transaction. */
export class EventRepo {
  constructor(private readonly db: Db) {}

  append(worker: string, at: number, events: readonly BatonEvent[]): void {
    if (events.length === 0) return;
    const stmt = this.db.prepare('INSERT INTO events (worker, at, type, data) VALUES (?, ?, ?, ?)');
    for (const event of events) stmt.run(worker, at, event.type, JSON.stringify(event));
  }

  list(worker: string, opts: { afterId?: number; limit?: number } = {}): StoredEvent[] {
    const rows = this.db
      .prepare('SELECT id, worker, at, data FROM events WHERE worker = ? AND id > ? ORDER BY id LIMIT ?')
      .all(worker, opts.afterId ?? 0, opts.limit ?? 1_000_000);
    return rows.map((row) => {
      const r = rowSchema.parse(row);
      return { id: r.id, worker: r.worker, at: r.at, event: batonEventSchema.parse(JSON.parse(r.data)) };
    });
  }
}
