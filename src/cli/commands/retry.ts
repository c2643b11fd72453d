import type { Command } from 'commander';
import { toView, type Engine } from '../../index.js';
import { printJson, printLines } from '../output.js';

function started(w: ReturnType<Engine['get']>): string {
  const label = w.attemptOf ?? w.label;
  return `${label} attempt ${w.attempt} ${w.state === 'running' ? 'started' : w.state} (${w.kind}) — next: baton wait ${label} · baton result ${label}`;
}

/** `baton retry` and `baton followup`: correct a worker instead of arguing with it. */
export function registerRetry(program: Command, engine: () => Engine): void {
  program
    .command('retry')
    .summary('re-run an ended worker with better context (a new attempt)')
    .description(
      'Start a new attempt of an ended worker: same role, backend, cwd, sandbox and write scope,\n' +
        'the original prompt plus what was missing. Earlier attempts stay readable:\n' +
        '  baton result W1 --attempt 1',
    )
    .argument('<label>', 'the worker')
    .option('--note <text>', 'what was missing or misunderstood')
    .option('--context <file>', 'more context: a context pack (markdown, JSON or YAML)')
    .option('--json', 'print the new attempt as JSON')
    .action((label: string, opts: { note?: string; context?: string; json?: boolean }) => {
      const w = engine().retry(label, { note: opts.note, contextFile: opts.context });
      if (opts.json) return printJson(toView(w));
      printLines(started(w));
    });
  program
    .command('followup')
    .summary("continue an ended worker's conversation (same thread)")
    .description(
      "Send a follow-up message in the worker's own conversation, so the agent keeps its whole\n" +
        'history (codex: exec resume <thread id>). Refused where the backend cannot resume\n' +
        '(shell) or the thread was ephemeral; use retry there.',
    )
    .argument('<label>', 'the worker')
    .argument('<message...>', 'what to say')
    .option('--json', 'print the new attempt as JSON')
    .action((label: string, words: string[], opts: { json?: boolean }) => {
      const w = engine().followup(label, words.join(' '));
      if (opts.json) return printJson(toView(w));
      printLines(started(w));
    });
}
