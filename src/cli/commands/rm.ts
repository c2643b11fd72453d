import type { Command } from 'commander';
import { isEnded, type Engine } from '../../index.js';
import { badInputError } from '../errors.js';
import { printJson, printLines } from '../output.js';

/** `baton rm`: forget ended workers, their events and their files. */
export function registerRm(program: Command, engine: () => Engine): void {
  program
    .command('rm')
    .summary('forget ended workers (rows, events, transcripts)')
    .argument('[labels...]', 'workers to remove')
    .option('--ended', 'remove every worker that has ended')
    .option('--json', 'print the removed labels as JSON')
    .action((labels: string[], opts: { ended?: boolean; json?: boolean }) => {
      const e = engine();
      if (labels.length === 0 && !opts.ended)
        throw badInputError('rm: name the workers to remove, or pass --ended');
      const targets = opts.ended
        ? e
            .list()
            .filter((w) => isEnded(w.state))
            .map((w) => w.label)
        : labels;
      const removed = e.remove(targets);
      if (opts.json) return printJson(removed);
      printLines(removed.length ? `removed ${removed.join(', ')}` : 'nothing to remove');
    });
}
