import type { Command } from 'commander';
import { isEnded, toResult, type Engine } from '../../index.js';
import { durationOption, positiveInt } from '../options.js';
import { printJson } from '../output.js';

interface ResultOptions {
  maxOutputTokens: number;
  attempt?: number;
  wait?: boolean;
  timeout?: number;
  json?: boolean;
}

/** `baton result`: only the worker's final message, bounded; the status says how it ended. */
export function registerResult(program: Command, engine: () => Engine): void {
  program
    .command('result')
    .summary("print a worker's final message only")
    .description(
      "Print a worker's final message — nothing else — bounded by --max-output-tokens.\n" +
        'Exit status: 0 succeeded · 1 ended otherwise (reason on stderr) · 3 still running.',
    )
    .argument('<label>', 'the worker')
    .option(
      '--max-output-tokens <n>',
      'cut the message at about n tokens (4 chars each)',
      positiveInt('--max-output-tokens'),
      10_000,
    )
    .option('-a, --attempt <n>', 'an earlier attempt (default: the latest)', positiveInt('--attempt'))
    .option('-w, --wait', 'wait for the worker to end first')
    .option('-t, --timeout <duration>', 'with --wait: give up after this long', durationOption('--timeout'))
    .option('--json', 'print {label, state, reason, finalMessage, usage, …} as JSON')
    .action(async (label: string, opts: ResultOptions) => {
      const e = engine();
      if (opts.wait) await e.wait([label], { mode: 'all', timeoutMs: opts.timeout });
      const w = e.get(label, opts.attempt);
      const view = toResult(w, opts.maxOutputTokens);
      process.exitCode = w.state === 'succeeded' ? 0 : isEnded(w.state) ? 1 : 3;
      if (opts.json) return printJson(view);
      if (!isEnded(w.state)) {
        process.stderr.write(`baton: ${label} is still ${w.state}; try: baton result ${label} --wait\n`);
        return;
      }
      if (view.finalMessage !== null && view.finalMessage !== '')
        process.stdout.write(`${view.finalMessage}\n`);
      if (w.state !== 'succeeded')
        process.stderr.write(`baton: ${label} ${w.state}: ${w.reason ?? 'no reason recorded'}\n`);
    });
}
