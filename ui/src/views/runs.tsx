import { useEffect, useState } from 'preact/hooks';
import type { RunSummary, RunsPage, WorkerCounts } from '../../../src/ui/wire';
import { api } from '../api';
import { StateBadge } from '../components/badge';
import { elapsed, tokens, when } from '../format';
import { live, useLive, useNow } from '../live';
import { href } from '../router';

const PAGE = 100;

function Counts({ c }: { c: WorkerCounts }) {
  return (
    <span class="counts">
      <strong>{c.total}</strong>
      {c.running > 0 && <span class="state-running-text"> · {c.running} running</span>}
      {c.queued > 0 && <span class="muted"> · {c.queued} queued</span>}
      {c.failed > 0 && <span class="tone-error"> · {c.failed} failed</span>}
      {c.cancelled > 0 && <span class="muted"> · {c.cancelled} cancelled</span>}
    </span>
  );
}

/** Every run, newest first, with its pattern, state, workers, tokens and duration. */
export function RunsView() {
  const store = useLive();
  const now = useNow();
  const [limit, setLimit] = useState(PAGE);
  const [page, setPage] = useState<RunsPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Re-fetch on (re)connect, when a run appears and when workers without a run change; live
  // updates keep the listed runs current in between.
  let unassigned = '';
  for (const { w } of store.workers.values()) if (w.runId === null) unassigned += `${w.id}:${w.state},`;
  const key = `${store.runs.size}|${unassigned}`;
  useEffect(() => {
    let alive = true;
    const t = setTimeout(() => {
      api
        .runs(limit)
        .then((p) => {
          if (!alive) return;
          live.putRuns(p.rev, p.runs);
          setPage(p);
          setError(null);
        })
        .catch((e: Error) => alive && setError(e.message));
    }, 100);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [limit, store.epoch, key]);

  if (error) return <p class="tone-error">Could not load runs: {error}</p>;
  if (!page) return <p class="muted">Loading…</p>;
  const listed = new Set(page.runs.map((r) => r.id));
  const oldest = page.runs.at(-1)?.createdAt ?? 0;
  const runs: RunSummary[] = [...store.runs.values()]
    .map((e) => e.r)
    .filter((r) => listed.has(r.id) || r.createdAt >= oldest || !page.more)
    .sort((a, b) => b.createdAt - a.createdAt);
  return (
    <section>
      <h1>Runs</h1>
      {page.unassigned.total > 0 && (
        <p class="unassigned" data-testid="unassigned">
          <a href={href.workers('none')}>Workers without a run</a>: <Counts c={page.unassigned} />
        </p>
      )}
      {runs.length === 0 ? (
        <p class="muted empty" data-testid="no-runs">
          No runs yet. Start one with <code>baton review src --dry-run</code>, or a worker with{' '}
          <code>baton spawn "task"</code>.
        </p>
      ) : (
        <table class="table" data-testid="runs">
          <thead>
            <tr>
              <th>run</th>
              <th>pattern</th>
              <th>state</th>
              <th>plan</th>
              <th>workers</th>
              <th class="num">tokens</th>
              <th class="num">duration</th>
              <th>started</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid="run-row" data-run={r.id}>
                <td>
                  <a href={href.run(r.id)}>{r.id}</a>
                  {r.title && <div class="muted small">{r.title}</div>}
                </td>
                <td>{r.pattern ?? <span class="muted">group</span>}</td>
                <td>
                  <StateBadge state={r.state} />
                  {r.exhausted && <span class="tone-warn small"> budget used</span>}
                </td>
                <td>{r.plan ? `${r.plan.done}/${r.plan.total}` : <span class="muted">–</span>}</td>
                <td>
                  <Counts c={r.workers} />
                </td>
                <td class="num">{tokens(r.tokens)}</td>
                <td class="num">{elapsed(r.durationMs ?? now - r.createdAt)}</td>
                <td class="small">{when(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.more && (
        <button class="more" onClick={() => setLimit(limit + PAGE)}>
          Show older runs
        </button>
      )}
    </section>
  );
}
