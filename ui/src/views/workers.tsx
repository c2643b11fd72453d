import { useEffect, useState } from 'preact/hooks';
import type { WorkerSummary } from '../../../src/ui/wire';
import { api } from '../api';
import { Lanes } from '../components/lanes';
import { live, useLive, useNow } from '../live';
import { href } from '../router';

/** How many workers the lanes show at once; the newest ones. */
const SHOWN = 200;

/** Every worker, or those without a run (`baton spawn` without --run), as lanes. */
export function WorkersView({ run }: { run: string | null }) {
  const store = useLive();
  const now = useNow(500);
  const [ids, setIds] = useState<string[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const joined = [...store.workers.values()].filter((e) =>
    run === 'none' ? e.w.runId === null : true,
  ).length;

  useEffect(() => {
    let alive = true;
    api
      .workers(run, SHOWN)
      .then((p) => {
        if (!alive) return;
        live.putWorkers(p.rev, p.workers);
        setIds(p.workers.map((w) => w.id));
        setTotal(p.total);
        setError(null);
      })
      .catch((e: Error) => alive && setError(e.message));
    return () => {
      alive = false;
    };
  }, [run, store.epoch, joined]);

  if (error) return <p class="tone-error">{error}</p>;
  if (!ids) return <p class="muted">Loading…</p>;
  const shown = new Set(ids);
  const labels = new Set<string>();
  const workers: WorkerSummary[] = [];
  for (const { w } of store.workers.values()) {
    if (shown.has(w.id)) labels.add(w.label);
  }
  for (const { w } of store.workers.values()) if (labels.has(w.label)) workers.push(w);
  return (
    <section>
      <p class="crumbs">
        <a href={href.runs()}>Runs</a> / {run === 'none' ? 'workers without a run' : 'all workers'}
      </p>
      <h1>{run === 'none' ? 'Workers without a run' : 'All workers'}</h1>
      {total > SHOWN && (
        <p class="muted">
          Showing the newest {SHOWN} of {total}.
        </p>
      )}
      <Lanes workers={workers} now={now} />
    </section>
  );
}
