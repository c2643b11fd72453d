import { useEffect, useState } from 'preact/hooks';
import type { WorkerDetail, WorkerSummary } from '../../../src/ui/wire';
import { api } from '../api';
import { StateBadge } from '../components/badge';
import { EventList } from '../components/event-list';
import { Markdown } from '../components/markdown';
import { Transcript } from '../components/transcript';
import { elapsed, tokens, usd, when, workerElapsed } from '../format';
import { live, useLive, useNow } from '../live';
import { href } from '../router';
import { useEvents } from '../use-events';

type Tab = 'timeline' | 'transcript' | 'final' | 'task';
const TAB_NAMES: Record<Tab, string> = {
  timeline: 'Events',
  transcript: 'Transcript',
  final: 'Final message',
  task: 'Task',
};

/** One worker: its event timeline, its transcript, its final message, and Stop. */
export function WorkerView({ id }: { id: string }) {
  const store = useLive();
  const now = useNow();
  const [detail, setDetail] = useState<WorkerDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('timeline');
  const [stopping, setStopping] = useState<string | null>(null);
  const live_ = store.worker(id);
  const trigger = `${store.epoch}|${live_?.state}|${live_?.outputBytes}|${live_?.endedAt}`;
  const { events, error: eventsError } = useEvents(id, trigger);

  useEffect(() => {
    let alive = true;
    api
      .worker(id)
      .then((d) => {
        if (!alive) return;
        setDetail(d);
        setError(null);
      })
      .catch((e: Error) => alive && setError(e.message));
    return () => {
      alive = false;
    };
  }, [id, trigger]);

  if (error && !detail) return <p class="tone-error">{error}</p>;
  if (!detail) return <p class="muted">Loading…</p>;
  const w = live_ ? { ...detail, ...live_ } : detail;
  const stop = async () => {
    setStopping('stopping…');
    try {
      const stopped = await api.stop(w.id);
      live.putWorkers(live.maxRev, [stopped]);
      live.changed();
      setStopping(null);
    } catch (e) {
      setStopping(`stop failed: ${(e as Error).message}`);
    }
  };

  return (
    <section class="worker">
      <WorkerHeader w={w} now={now} stopping={stopping} onStop={stop} />
      <nav class="tabs">
        {(['timeline', 'transcript', 'final', 'task'] as const).map((t) => (
          <button
            key={t}
            class={t === tab ? 'tab active' : 'tab'}
            data-testid={`tab-${t}`}
            onClick={() => setTab(t)}
          >
            {t === 'timeline' ? `Events (${events.length})` : TAB_NAMES[t]}
          </button>
        ))}
      </nav>
      {eventsError && <p class="tone-error">{eventsError}</p>}
      {tab === 'timeline' && <EventList events={events} />}
      {tab === 'transcript' && <Transcript worker={w} events={events} />}
      {tab === 'final' &&
        (detail.finalMessage ? (
          <Markdown text={detail.finalMessage} testId="final-message" />
        ) : (
          <p class="muted">No final message{w.state === 'running' ? ' yet' : ''}.</p>
        ))}
      {tab === 'task' && <TaskFacts d={detail} />}
    </section>
  );
}

function WorkerHeader(props: { w: WorkerSummary; now: number; stopping: string | null; onStop: () => void }) {
  const { w, now, stopping, onStop: stop } = props;
  const canStop = w.state === 'running' || w.state === 'queued';
  return (
    <>
      <p class="crumbs">
        <a href={href.runs()}>Runs</a>
        {w.runId !== null ? (
          <>
            {' / '}
            <a href={href.run(w.runId)}>{w.runId}</a>
          </>
        ) : (
          <>
            {' / '}
            <a href={href.workers('none')}>without a run</a>
          </>
        )}
        {' / '}
        {w.label}
      </p>
      <h1>
        {w.label}
        {w.attempt > 1 && <span class="muted"> attempt {w.attempt}</span>}{' '}
        <StateBadge state={w.state} testId="worker-state" />
        <button
          class="stop"
          data-testid="stop"
          disabled={!canStop || stopping === 'stopping…'}
          onClick={stop}
        >
          Stop
        </button>
        {stopping && <span class="small muted"> {stopping}</span>}
      </h1>
      <p class="facts">
        <span>{w.backend}</span>
        <span>{w.role}</span>
        <span>{elapsed(workerElapsed(w, now))}</span>
        <span>{tokens(w.tokens)} tokens</span>
        {w.costUsd !== null && <span data-testid="worker-cost">{usd(w.costUsd)}</span>}
        {w.exitCode !== null && <span>exit {w.exitCode}</span>}
        <span>created {when(w.createdAt)}</span>
      </p>
      {w.state === 'queued' && w.waitingFor && <p class="muted">Waiting for {w.waitingFor}</p>}
      {w.reason && w.state !== 'succeeded' && (
        <p class={`reason ${w.state === 'cancelled' ? 'tone-warn' : 'tone-error'}`}>{w.reason}</p>
      )}
    </>
  );
}

function TaskFacts({ d }: { d: WorkerDetail }) {
  return (
    <div class="task">
      <pre class="task-text">{d.task}</pre>
      <dl>
        <dt>cwd</dt>
        <dd>{d.cwd}</dd>
        <dt>sandbox</dt>
        <dd>{d.sandbox ?? '–'}</dd>
        <dt>model</dt>
        <dd>{d.model ?? 'default'}</dd>
        <dt>thread</dt>
        <dd>{d.threadId ?? '–'}</dd>
        <dt>timeout</dt>
        <dd>{d.timeoutMs === null ? 'none' : elapsed(d.timeoutMs)}</dd>
        <dt>writes</dt>
        <dd>{d.writes.length === 0 ? 'read-only' : d.writes.join(', ')}</dd>
        {d.usage && (
          <>
            <dt>usage</dt>
            <dd>
              {d.usage.inputTokens} in ({d.usage.cachedInputTokens} cached) / {d.usage.outputTokens} out (
              {d.usage.reasoningTokens} reasoning)
              {d.usage.costUsd !== undefined && `, ${usd(d.usage.costUsd)}`}
            </dd>
          </>
        )}
        <dt>attempts</dt>
        <dd>
          {d.attempts.map((a) => (
            <a key={a.id} href={href.worker(a.id)} class="attempt">
              #{a.attempt} {a.kind} <StateBadge state={a.state} />
            </a>
          ))}
        </dd>
      </dl>
    </div>
  );
}
