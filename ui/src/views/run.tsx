import { useEffect, useState } from 'preact/hooks';
import type { RunDetail } from '../../../src/ui/wire';
import { api } from '../api';
import { StateBadge } from '../components/badge';
import { Lanes } from '../components/lanes';
import { Markdown } from '../components/markdown';
import { Plan } from '../components/plan';
import { elapsed, tokens, usd, when } from '../format';
import { live, useLive, useNow } from '../live';
import { href } from '../router';

/** One run: its plan, a lane per worker on a timeline, and the merged report. */
export function RunView({ id }: { id: string }) {
  const store = useLive();
  const now = useNow(500);
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const summary = store.runs.get(id);

  // The lanes follow the live stream directly; plan and report are re-read when they may have
  // changed (the run's state, its plan's updates, its report), not on every token count.
  const r = summary?.r;
  const key = r ? `${r.state}|${r.plan?.updates}|${r.hasReport}|${r.workers.total}` : '';
  useEffect(() => {
    let alive = true;
    const t = setTimeout(() => {
      api
        .run(id)
        .then((d) => {
          if (!alive) return;
          live.putWorkers(d.rev, d.workers);
          live.putRuns(d.rev, [d.run]);
          setDetail(d);
          setError(null);
        })
        .catch((e: Error) => alive && setError(e.message));
    }, 50);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [id, store.epoch, key]);

  if (error) return <p class="tone-error">{error}</p>;
  if (!detail) return <p class="muted">Loading…</p>;
  const run = summary?.r ?? detail.run;
  const workers = store.workersOf(id);
  return (
    <section class="run">
      <p class="crumbs">
        <a href={href.runs()}>Runs</a> / {id}
      </p>
      <h1>
        {run.title ?? id} <StateBadge state={run.state} testId="run-state" />
      </h1>
      <p class="facts">
        {run.pattern && <span>pattern {run.pattern}</span>}
        <span>started {when(run.createdAt)}</span>
        <span>{elapsed(run.durationMs ?? now - run.createdAt)}</span>
        <span>{tokens(run.tokens)} tokens</span>
        {run.costUsd !== null && <span>{usd(run.costUsd)}</span>}
        {run.budgetTokens !== null && (
          <span class={run.exhausted ? 'tone-warn' : ''}>budget {tokens(run.budgetTokens)}</span>
        )}
        <span>{run.workers.total} workers</span>
      </p>
      <h2>Plan</h2>
      <Plan plan={detail.plan} />
      <h2>Workers</h2>
      <Lanes workers={workers} now={now} />
      <h2>Report</h2>
      {detail.report ? (
        <Markdown text={detail.report} testId="report" />
      ) : (
        <p class="muted">
          {run.pattern
            ? 'The report appears when the run ends.'
            : 'Runs without a pattern have no merged report.'}
        </p>
      )}
    </section>
  );
}
