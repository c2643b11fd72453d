import { useState } from 'preact/hooks';
import type { RunDetail } from '../../../src/ui/wire';
import { when } from '../format';

const MARK = { completed: '✔', in_progress: '▶', pending: '○' } as const;

/** The run's plan: each step with its status, and every update that led here. */
export function Plan({ plan }: { plan: RunDetail['plan'] }) {
  const [open, setOpen] = useState(false);
  if (plan.history.length === 0) return <p class="muted">No plan for this run.</p>;
  return (
    <div class="plan" data-testid="plan">
      <ol class="steps">
        {plan.steps.map((s, i) => (
          <li key={i} class={`step step-${s.status}`} data-status={s.status}>
            <span class="mark">{MARK[s.status]}</span> {s.step}
          </li>
        ))}
      </ol>
      <button class="link" onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} history ({plan.history.length} update{plan.history.length === 1 ? '' : 's'})
      </button>
      {open && (
        <ol class="history">
          {plan.history.map((h) => (
            <li key={h.id}>
              <span class="time">{when(h.at)}</span>
              <span class="marks">
                {h.steps.map((s, i) => (
                  <span key={i} class={`step-${s.status}`} title={`${i + 1}. ${s.step}: ${s.status}`}>
                    {MARK[s.status]}
                  </span>
                ))}
              </span>
              {h.explanation && <span class="why">{h.explanation}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
