import type { Command } from 'commander';
import { isEnded, toView, type Engine } from '../../index.js';
import { badInputError } from '../errors.js';
import { durationOption } from '../options.js';
import { printJson, printLines } from '../output.js';
import { workerRows } from './ps.js';

/** `baton stop`: SIGINT, grace, then SIGKILL of each worker's whole process tree. */
export function registerStop(program: Command, engine: () => Engine): void {
  program
    .command('stop')
    .summary('stop workers: SIGINT, grace period, then SIGKILL of the whole tree')
    .description(
      'Stop workers: SIGINT to every process of the worker (setsid grandchildren included), wait\n' +
        'the grace period, then SIGKILL what is left. Stopped workers end as "cancelled".',
    )
    .argument('[labels...]', 'workers to stop')
    .option('--all', 'stop every running worker')
    .option(
      '--grace <duration>',
      "time between SIGINT and SIGKILL (default: the worker's, 5s)",
      durationOption('--grace'),
    )
    .option('--json', 'print the stopped workers as JSON')
    .action(async (labels: string[], opts: { all?: boolean; grace?: number; json?: boolean }) => {
      const e = engine();
      if (labels.length === 0 && !opts.all)
        throw badInputError('stop: name the workers to stop, or pass --all');
      const targets = opts.all
        ? e
            .list()
            .filter((w) => !isEnded(w.state))
            .map((w) => w.label)
        : labels;
      const stopped = await e.stop(targets, { graceMs: opts.grace });
      const views = stopped.map((w) => toView(w));
      if (opts.json) return printJson(views);
      if (views.length === 0) return printLines('nothing is running');
      printLines(...workerRows(views));
    });
}
