import type { Command } from 'commander';
import { badInputError } from '../errors.js';
import { isEnded, toView, type Engine } from '../../index.js';
import { durationOption } from '../options.js';
import { printJson, printLines } from '../output.js';
import { workerRows } from './ps.js';

/** Exit code when `wait --timeout` passes before the workers end (as timeout(1) does). */
export const WAIT_TIMED_OUT = 124;

interface WaitOptions {
  all?: boolean;
  any?: boolean;
  timeout?: number;
  json?: boolean;
}

/** `baton wait`: block until workers end; exit 0 only if every waited-for worker succeeded. */
export function registerWait(program: Command, engine: () => Engine): void {
  program
    .command('wait')
    .summary('wait for workers to end (exit 0 only if all succeeded)')
    .description(
      'Wait until the named workers end (or, with --any, the first of them).\n' +
        'Exit status: 0 all waited-for workers succeeded · 1 one ended otherwise · 124 --timeout passed.',
    )
    .argument('[labels...]', 'workers to wait for')
    .option('--all', 'wait for every worker that is running now')
    .option('--any', 'return as soon as one of them ends')
    .option('-t, --timeout <duration>', 'give up after this long, e.g. 10m', durationOption('--timeout'))
    .option('--json', 'print the workers as JSON')
    .action(async (labels: string[], opts: WaitOptions) => {
      const e = engine();
      let targets = labels;
      if (targets.length === 0 && opts.all)
        targets = e
          .list()
          .filter((w) => !isEnded(w.state))
          .map((w) => w.label);
      if (targets.length === 0 && !opts.all) {
        throw badInputError('wait: name the workers to wait for, or pass --all');
      }
      const result =
        targets.length === 0
          ? { satisfied: true, workers: [] }
          : await e.wait(targets, { mode: opts.any ? 'any' : 'all', timeoutMs: opts.timeout });
      const considered = opts.any ? result.workers.filter((w) => isEnded(w.state)) : result.workers;
      const ok = result.satisfied && considered.every((w) => w.state === 'succeeded');
      process.exitCode = !result.satisfied ? WAIT_TIMED_OUT : ok ? 0 : 1;
      const views = result.workers.map((w) => toView(w));
      if (opts.json) return printJson({ satisfied: result.satisfied, succeeded: ok, workers: views });
      if (views.length === 0) return printLines('nothing is running');
      printLines(...workerRows(views));
      if (!result.satisfied)
        printLines('wait: --timeout passed before the workers ended (they keep running)');
    });
}
