import { isEnded, toView, type Engine } from '../index.js';
import { workerRows } from './commands/ps.js';

/**
 * Shows workers while they run: a table redrawn in place on a terminal, one line per state
 * change when piped, nothing with `quiet`. Resolves when every worker has ended.
 */
export async function watchWorkers(
  engine: Engine,
  labels: string[],
  opts: { quiet?: boolean } = {},
): Promise<void> {
  const tty = process.stdout.isTTY === true && !opts.quiet;
  const seen = new Map<string, string>();
  let drawn = 0;
  const render = () => {
    const views = labels.map((l) => toView(engine.get(l)));
    if (tty) {
      const rows = workerRows(views);
      if (drawn > 0) process.stdout.write(`\x1b[${drawn}F\x1b[J`);
      process.stdout.write(`${rows.join('\n')}\n`);
      drawn = rows.length;
    } else if (!opts.quiet) {
      for (const v of views) {
        if (seen.get(v.label) === v.state) continue;
        seen.set(v.label, v.state);
        process.stdout.write(
          `${v.label}: ${v.state}${v.reason && v.state !== 'succeeded' ? ` (${v.reason})` : ''}\n`,
        );
      }
    }
    return views.every((v) => isEnded(v.state));
  };
  const ticker = setInterval(() => {
    if (tty) render();
  }, 500);
  try {
    for (;;) {
      if (render()) return;
      const pending = labels.filter((l) => !isEnded(engine.get(l).state));
      await engine.wait(pending, { mode: 'any', timeoutMs: 1000 });
    }
  } finally {
    clearInterval(ticker);
  }
}
