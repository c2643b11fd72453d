import type { Command } from 'commander';
import { formatElapsed, limitLines, toView, type Engine, type WorkerView } from '../../index.js';
import { clip, printJson, printLines, table } from '../output.js';

/** One table row per worker: what `ps` and `wait` print. */
export function workerRows(
  views: WorkerView[],
  waiting: Map<string, { position: number; waitingFor: string }> = new Map(),
): string[] {
  const width = process.stdout.columns ?? 120;
  return table(
    ['LABEL', 'BACKEND', 'ROLE', 'STATE', 'ELAPSED', 'TOKENS', 'ACTIVITY'],
    views.map((v) => [
      v.attempt > 1 ? `${v.label} (attempt ${v.attempt})` : v.label,
      v.backend,
      v.role,
      v.state,
      formatElapsed(v.elapsedMs),
      tokensCell(v),
      clip(activity(v, v.state === 'queued' ? waiting.get(v.label) : undefined), Math.max(20, width - 60)),
    ]),
  );
}

/** Tokens, and the cost where the CLI prices its requests (claude, opencode). */
function tokensCell(v: WorkerView): string {
  const tokens = v.tokens ? String(v.tokens) : '-';
  return v.costUsd === null ? tokens : `${tokens} ($${v.costUsd.toFixed(2)})`;
}

function activity(v: WorkerView, queued: { position: number; waitingFor: string } | undefined): string {
  if (queued) return `#${queued.position} waiting for ${queued.waitingFor}`;
  if (v.reason && v.state !== 'succeeded') return v.reason;
  return v.lastActivity ?? '';
}

/** `baton ps`: every worker with its state, time, tokens and last activity. */
export function registerPs(program: Command, engine: () => Engine): void {
  program
    .command('ps')
    .summary('list workers: state, elapsed time, tokens, last activity')
    .description('List workers with their state, elapsed time, tokens and last line of activity.')
    .option('-a, --all-attempts', 'list every attempt of retried workers, not just the latest')
    .option('--json', 'print the workers as a JSON array')
    .action((opts: { json?: boolean; allAttempts?: boolean }) => {
      const e = engine();
      const records = e.list({ allAttempts: opts.allAttempts });
      const views = records.map((w) => toView(w));
      const waiting = e.exists
        ? e.dispatch().waiting
        : new Map<string, { position: number; waitingFor: string }>();
      const queueOf = (v: WorkerView) => (v.state === 'queued' ? (waiting.get(v.label) ?? null) : null);
      if (opts.json) return printJson(views.map((v) => ({ ...v, queue: queueOf(v) })));
      if (views.length === 0) return printLines('no workers yet; start one with: baton spawn "task"');
      printLines(...workerRows(views, waiting));
      const caps = new Map(records.map((w) => [w.backend, w.maxParallel]));
      const limits = limitLines(e.backendLimits(), caps);
      if (limits.length > 0) printLines('', ...limits);
    });
}
