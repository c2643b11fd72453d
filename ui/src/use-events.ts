import { useEffect, useRef, useState } from 'preact/hooks';
import type { EventRow } from '../../src/ui/wire';
import { api } from './api';

/** Loads a worker's events page by page, then only what is new whenever `trigger` moves. */
export function useEvents(id: string, trigger: string): { events: EventRow[]; error: string | null } {
  const [events, setEvents] = useState<EventRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const state = useRef({ id, last: 0, busy: false, again: false });

  useEffect(() => {
    state.current = { id, last: 0, busy: false, again: false };
    setEvents([]);
  }, [id]);

  useEffect(() => {
    const s = state.current;
    const load = async () => {
      if (s.busy) {
        s.again = true;
        return;
      }
      s.busy = true;
      try {
        do {
          s.again = false;
          for (;;) {
            const page = await api.events(s.id, s.last);
            if (state.current !== s) return;
            s.last = page.last;
            if (page.events.length > 0) setEvents((prev) => prev.concat(page.events));
            setError(null);
            if (!page.more) break;
          }
        } while (s.again);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        s.busy = false;
      }
    };
    void load();
  }, [id, trigger]);
  return { events, error };
}
