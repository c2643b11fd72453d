import type { Engine } from '../index.js';
import { eventRow } from './views.js';
import type { EventPage, EventRow } from './wire.js';

interface Entry {
  createdAt: number;
  rows: EventRow[];
  last: number;
}

/**
 * Display rows of the workers someone is looking at. Events are append-only, so a cached prefix
 * stays valid and each page request reads only what is new; paging through 10,000 events parses
 * each one once. A worker re-created under the same label (created at another time) starts over.
 */
export class EventCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly engine: Engine,
    private readonly maxWorkers = 6,
  ) {}

  /** Events of worker row `id` after event id `after`, at most `limit` of them. */
  page(id: string, after: number, limit: number): EventPage {
    const record = this.engine.get(id);
    let entry = this.entries.get(id);
    if (!entry || entry.createdAt !== record.createdAt)
      entry = { createdAt: record.createdAt, rows: [], last: 0 };
    this.entries.delete(id);
    this.entries.set(id, entry);
    for (const key of [...this.entries.keys()].slice(0, Math.max(0, this.entries.size - this.maxWorkers))) {
      this.entries.delete(key);
    }
    for (const e of this.engine.events(id, entry.last)) {
      entry.rows.push(eventRow(e));
      entry.last = e.id;
    }
    const start = firstAfter(entry.rows, after);
    const events = entry.rows.slice(start, start + limit);
    return {
      events,
      last: events.at(-1)?.id ?? after,
      more: start + limit < entry.rows.length,
    };
  }
}

/** Index of the first row whose id is greater than `after` (rows are sorted by id). */
function firstAfter(rows: readonly EventRow[], after: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid]?.id ?? 0) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
