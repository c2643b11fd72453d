import type { Command } from 'commander';
import { BatonError, formatElapsed, type Engine } from '../../index.js';
import { positiveInt } from '../options.js';
import { clip, printJson, printLines, table } from '../output.js';

/** `baton runs` and `baton report`: past pattern runs and their saved reports. */
export function registerRuns(program: Command, engine: () => Engine): void {
  program
    .command('runs')
    .summary('list pattern runs, newest first')
    .option('-n, --limit <n>', 'how many', positiveInt('--limit'), 20)
    .option('--json', 'print the runs as JSON')
    .action((opts: { limit: number; json?: boolean }) => {
      const e = engine();
      const runs = e.exists ? e.runs.list(opts.limit).filter((r) => r.pattern !== null) : [];
      if (opts.json) return printJson(runs.map(({ report: _r, result: _x, ...rest }) => rest));
      if (runs.length === 0) return printLines('no pattern runs yet; try: baton review src --dry-run');
      printLines(
        ...table(
          ['RUN', 'PATTERN', 'STATE', 'DURATION', 'TITLE'],
          runs.map((r) => [
            r.id,
            r.pattern ?? '',
            r.state,
            r.endedAt ? formatElapsed(r.endedAt - r.createdAt) : formatElapsed(Date.now() - r.createdAt),
            clip(r.title ?? '', 60),
          ]),
        ),
      );
    });
  program
    .command('report')
    .summary("print a pattern run's curated report")
    .argument('<run>', 'run id (see baton runs)')
    .option('--json', 'print the run with its structured result')
    .action((id: string, opts: { json?: boolean }) => {
      const e = engine();
      const run = e.exists ? e.runs.get(id) : undefined;
      if (!run || run.pattern === null)
        throw new BatonError('NOT_FOUND', `no pattern run "${id}"; see: baton runs`);
      if (opts.json) return printJson({ ...run, result: run.result ? JSON.parse(run.result) : null });
      process.stdout.write(run.report ?? `run ${id} is still ${run.state}\n`);
    });
}
