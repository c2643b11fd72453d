import { Component } from 'preact';
import type { WorkerSummary } from '../../../src/ui/wire';
import { elapsed, tokens, workerElapsed } from '../format';
import { href } from '../router';
import { StateBadge } from './badge';

interface Lane {
  label: string;
  attempts: WorkerSummary[];
  latest: WorkerSummary;
}

function lanesOf(workers: readonly WorkerSummary[]): Lane[] {
  const byLabel = new Map<string, WorkerSummary[]>();
  for (const w of workers) {
    const list = byLabel.get(w.label);
    if (list) list.push(w);
    else byLabel.set(w.label, [w]);
  }
  const lanes: Lane[] = [];
  for (const [label, list] of byLabel) {
    const attempts = list.sort((a, b) => a.attempt - b.attempt);
    const latest = attempts.at(-1);
    if (latest) lanes.push({ label, attempts, latest });
  }
  const start = (l: Lane) => l.attempts[0]?.createdAt ?? 0;
  return lanes.sort((a, b) => start(a) - start(b) || a.label.localeCompare(b.label));
}

/** Axis lengths the timeline snaps to while workers run, so bars that ended keep still. */
const SPANS = [2, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400].map(
  (s) => s * 1000,
);

function axisSpan(ms: number): number {
  return SPANS.find((s) => s >= ms * 1.05) ?? Math.ceil((ms * 1.05) / 86_400_000) * 86_400_000;
}

/** Tick labels: tenths of a second on short axes, `elapsed` style otherwise. */
function axisLabel(ms: number, span: number): string {
  return span < 20_000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s` : elapsed(ms);
}

function activity(w: WorkerSummary): string {
  if (w.state === 'queued') return w.waitingFor ?? 'queued';
  if (w.reason && w.state !== 'succeeded') return w.reason;
  return w.lastActivity ?? '';
}

interface RowProps {
  lane: Lane;
  t0: number;
  span: number;
  /** The clock, for lanes that still move; null for lanes whose every attempt ended. */
  now: number | null;
}

const shown = (w: WorkerSummary) =>
  `${w.id}|${w.state}|${w.startedAt}|${w.endedAt}|${w.tokens}|${w.lastActivity}|${w.waitingFor}|${w.reason}`;

/** Re-render a lane only when what it shows changed: 64 lanes cost what the busy ones cost. */
function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.t0 === b.t0 &&
    a.span === b.span &&
    a.now === b.now &&
    a.lane.attempts.length === b.lane.attempts.length &&
    a.lane.attempts.every((w, i) => {
      const other = b.lane.attempts[i];
      return other !== undefined && shown(w) === shown(other);
    })
  );
}

class LaneRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return !sameRow(this.props, next);
  }

  override render() {
    return laneRow(this.props);
  }
}

function laneRow({ lane, t0, span, now }: RowProps) {
  const { label, attempts, latest } = lane;
  const clock = now ?? 0;
  const pct = (t: number) => `${(((t - t0) / span) * 100).toFixed(3)}%`;
  const width = (a: number, b: number) => `max(3px, ${(((b - a) / span) * 100).toFixed(3)}%)`;
  return (
    <div class="lane" data-testid="lane" data-label={label} data-state={latest.state}>
      <a class="label" href={href.worker(latest.id)} title={label}>
        {label}
        {attempts.length > 1 && <span class="muted"> ×{attempts.length}</span>}
      </a>
      <span>{latest.backend}</span>
      <span>{latest.role}</span>
      <StateBadge state={latest.state} />
      <span class="num">{elapsed(workerElapsed(latest, clock))}</span>
      <span class="num">{tokens(attempts.reduce((n, a) => n + a.tokens, 0))}</span>
      <span class="activity" title={activity(latest)}>
        {activity(latest)}
      </span>
      <span class="track">
        {attempts.map((a) => {
          const start = a.startedAt ?? a.endedAt ?? clock;
          return [
            <span
              key={`q${a.id}`}
              class="seg queued"
              title={`${a.id} queued ${elapsed(start - a.createdAt)}`}
              style={{ left: pct(a.createdAt), width: width(a.createdAt, start) }}
            />,
            a.startedAt !== null && (
              <span
                key={`r${a.id}`}
                class={`seg run state-${a.state}`}
                title={`${a.id} ${a.state} ${elapsed(workerElapsed(a, clock))}`}
                style={{ left: pct(a.startedAt), width: width(a.startedAt, a.endedAt ?? clock) }}
              />
            ),
          ];
        })}
      </span>
    </div>
  );
}

/**
 * One lane per worker on a shared time axis: hatched while queued, a bar while running, coloured
 * by how it ended. Fan-out shows as bars that overlap; serialized writers as bars that queue up
 * and start one after another.
 */
export function Lanes({ workers, now }: { workers: readonly WorkerSummary[]; now: number }) {
  const lanes = lanesOf(workers);
  if (lanes.length === 0) return <p class="muted">No workers yet.</p>;
  const t0 = Math.min(...workers.map((w) => w.createdAt));
  const active = workers.some((w) => w.endedAt === null);
  const t1 = active ? now : Math.max(...workers.map((w) => w.endedAt ?? w.createdAt));
  const span = axisSpan(t1 - t0);
  return (
    <div class="lanes" data-testid="lanes">
      <div class="lane lane-head">
        <span>worker</span>
        <span>backend</span>
        <span>role</span>
        <span>state</span>
        <span class="num">elapsed</span>
        <span class="num">tokens</span>
        <span>last activity</span>
        <span class="axis">
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <span key={f} style={{ left: `${f * 100}%` }}>
              {axisLabel(span * f, span)}
            </span>
          ))}
        </span>
      </div>
      {lanes.map((lane) => (
        <LaneRow
          key={lane.label}
          lane={lane}
          t0={t0}
          span={span}
          now={lane.attempts.some((a) => a.endedAt === null) ? now : null}
        />
      ))}
    </div>
  );
}
