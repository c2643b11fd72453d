import { formatElapsed, isEnded, toView, type Engine, type ProgressEvent } from '../index.js';
import { workerRows } from './commands/ps.js';

const MARK: Record<string, string> = { pending: '[ ]', in_progress: '[>]', completed: '[x]' };

/**
 * Live progress for a pattern run: plan steps, each worker's state, elapsed time, tokens and the
 * queue, redrawn in place on a terminal; one plain line per change when piped; nothing when quiet.
 */
export class RunProgress {
  private drawn = 0;
  private readonly seen = new Map<string, string>();
  private lastPlan = '';
  private ticker: NodeJS.Timeout | undefined;
  private readonly tty: boolean;
  private readonly started = Date.now();

  constructor(
    private readonly engine: Engine,
    private readonly runId: () => string | null,
    private readonly quiet: boolean,
  ) {
    this.tty = process.stderr.isTTY === true;
  }

  start(): void {
    if (this.quiet) return;
    this.ticker = setInterval(() => this.render(), this.tty ? 500 : 1000);
  }

  onEvent = (_e: ProgressEvent): void => {
    if (!this.quiet) this.render();
  };

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    if (!this.quiet) this.render();
  }

  private render(): void {
    const runId = this.runId();
    if (!runId || !this.engine.exists) return;
    const plan = this.engine.plans.show(runId).steps;
    const workers = this.engine.list().filter((w) => w.runId === runId);
    if (this.tty) {
      const waiting = this.engine.dispatch().waiting;
      const lines = [
        `run ${runId} · ${formatElapsed(Date.now() - this.started)}`,
        ...plan.map((s, i) => `  ${MARK[s.status]} ${i + 1}. ${s.step}`),
        ...(workers.length
          ? workerRows(
              workers.map((w) => toView(w)),
              waiting,
            )
          : []),
      ];
      if (this.drawn > 0) process.stderr.write(`\x1b[${this.drawn}F\x1b[J`);
      process.stderr.write(`${lines.join('\n')}\n`);
      this.drawn = lines.length;
      return;
    }
    const planText = plan.map((s) => MARK[s.status]).join('');
    if (planText !== this.lastPlan) {
      this.lastPlan = planText;
      const current = plan.findIndex((s) => s.status === 'in_progress');
      const what = current >= 0 ? `step ${current + 1}: ${plan[current]?.step}` : 'all steps done';
      process.stderr.write(`plan ${planText} ${what}\n`);
    }
    for (const w of workers) {
      if (this.seen.get(w.label) === w.state) continue;
      this.seen.set(w.label, w.state);
      const why = isEnded(w.state) && w.state !== 'succeeded' && w.reason ? ` (${w.reason})` : '';
      process.stderr.write(`${w.label} ${w.state}${why}\n`);
    }
  }
}
