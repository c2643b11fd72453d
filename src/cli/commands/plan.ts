import type { Command } from 'commander';
import type { Engine, PlanView } from '../../index.js';
import { badInputError } from '../errors.js';
import { positiveInt } from '../options.js';
import { printJson, printLines } from '../output.js';

const MARK: Record<string, string> = { pending: '[ ]', in_progress: '[>]', completed: '[x]' };

function runOf(opts: { run?: string }): string {
  return opts.run ?? process.env['BATON_RUN'] ?? 'default';
}

function render(view: PlanView, history: boolean): string[] {
  if (view.steps.length === 0)
    return [`run ${view.runId} has no plan yet; start one with: baton plan set "step" …`];
  const lines = [
    `plan of run ${view.runId}:`,
    ...view.steps.map((s, i) => `  ${MARK[s.status]} ${i + 1}. ${s.step}`),
  ];
  if (history) {
    lines.push('', 'history:');
    for (const h of view.history) {
      const states = h.steps.map((s) => MARK[s.status]).join('');
      lines.push(
        `  ${new Date(h.at).toISOString().slice(11, 19)} ${states}${h.explanation ? ` — ${h.explanation}` : ''}`,
      );
    }
  }
  return lines;
}

/** `baton plan`: update_plan semantics per run — at most 6 short steps, exactly one in progress. */
export function registerPlan(program: Command, engine: () => Engine): void {
  const plan = program
    .command('plan')
    .summary('keep a short plan per run: set, update, show (update_plan semantics)')
    .description(
      'A short plan per run, as in update_plan: at most 6 steps, one short sentence each, exactly one\n' +
        'step in_progress while any is unfinished. Every update is kept in the history.\n' +
        'The run is --run, else $BATON_RUN, else "default".',
    );
  plan
    .command('set')
    .description('replace the plan; the first step starts in progress')
    .argument('<steps...>', 'one short sentence per step (quote each)')
    .option('--run <name>', 'the run the plan belongs to')
    .option('--explanation <text>', 'why the plan is what it is')
    .option('--json', 'print the plan as JSON')
    .action((steps: string[], opts: { run?: string; explanation?: string; json?: boolean }) => {
      const view = engine().plans.set(runOf(opts), steps, opts.explanation ?? null);
      if (opts.json) return printJson(view);
      printLines(...render(view, false));
    });
  plan
    .command('update')
    .description("set one step's status; completing the current step starts the next pending one")
    .argument('<step>', 'step number (1-based)', positiveInt('step'))
    .requiredOption('--status <status>', 'pending | in_progress | completed')
    .option('--run <name>', 'the run the plan belongs to')
    .option('--explanation <text>', 'why (kept in the history)')
    .option('--json', 'print the plan as JSON')
    .action((step: number, opts: { status: string; run?: string; explanation?: string; json?: boolean }) => {
      if (!['pending', 'in_progress', 'completed'].includes(opts.status)) {
        throw badInputError(
          `--status: "${opts.status}" is not allowed; use pending, in_progress or completed`,
        );
      }
      const status = opts.status as 'pending' | 'in_progress' | 'completed';
      const view = engine().plans.update(runOf(opts), step, status, opts.explanation ?? null);
      if (opts.json) return printJson(view);
      printLines(...render(view, false));
    });
  plan
    .command('show')
    .description('print the plan (and with --history every update)')
    .option('--run <name>', 'the run the plan belongs to')
    .option('--history', 'also list every update')
    .option('--json', 'print {runId, steps, history} as JSON')
    .action((opts: { run?: string; history?: boolean; json?: boolean }) => {
      const e = engine();
      const view: PlanView = e.exists
        ? e.plans.show(runOf(opts))
        : { runId: runOf(opts), steps: [], history: [] };
      if (opts.json) return printJson(view);
      printLines(...render(view, opts.history ?? false));
    });
}
