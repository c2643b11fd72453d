import type {
  EventPage,
  RunDetail,
  RunsPage,
  WorkerDetail,
  WorkerSummary,
  WorkersPage,
} from '../../src/ui/wire';

/**
 * The server's JSON API. URLs are relative to the page (`/<token>/`), so the token travels in
 * every request's path without the page ever handling it.
 */
async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(await errorText(res));
  return (await res.json()) as T;
}

async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: string };
    return body.error ?? `${res.status} ${res.statusText}`;
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

const enc = encodeURIComponent;

export const api = {
  runs: (limit: number) => getJson<RunsPage>(`api/runs?limit=${limit}`),
  run: (id: string) => getJson<RunDetail>(`api/runs/${enc(id)}`),
  workers: (run: string | null, limit: number) =>
    getJson<WorkersPage>(`api/workers?limit=${limit}${run === null ? '' : `&run=${enc(run)}`}`),
  worker: (id: string) => getJson<WorkerDetail>(`api/workers/${enc(id)}`),
  events: (id: string, after: number, limit = 2000) =>
    getJson<EventPage>(`api/workers/${enc(id)}/events?after=${after}&limit=${limit}`),

  /** Raw output bytes from `from` (or the tail), with where to continue. */
  async output(id: string, stream: 'stdout' | 'stderr', from: number | null) {
    const q = from === null ? '' : `&from=${from}`;
    const res = await fetch(`api/workers/${enc(id)}/output?stream=${stream}${q}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(await errorText(res));
    return {
      data: new Uint8Array(await res.arrayBuffer()),
      from: Number(res.headers.get('X-Baton-From') ?? 0),
      next: Number(res.headers.get('X-Baton-Next') ?? 0),
      size: Number(res.headers.get('X-Baton-Size') ?? 0),
    };
  },

  async stop(id: string): Promise<WorkerSummary> {
    const res = await fetch(`api/workers/${enc(id)}/stop`, { method: 'POST' });
    if (!res.ok) throw new Error(await errorText(res));
    return (await res.json()) as WorkerSummary;
  },
};
