import { spawn } from 'node:child_process';
import { InvalidArgumentError, type Command } from 'commander';
import type { Engine } from '../../index.js';
import { startDashboard } from '../../ui/server.js';
import { printLines } from '../output.js';

function portOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`--port: "${value}" is not a port (0-65535; 0 = any free port)`);
  }
  return n;
}

/** Opens a URL in the desktop's browser; says so when there is none. */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => printLines(`(could not start ${cmd}; open the address above yourself)`));
  child.unref();
}

/** Resolves on Ctrl-C or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** `baton ui`: the live dashboard in the browser, on 127.0.0.1 with a token in its address. */
export function registerUi(program: Command, engine: () => Engine): void {
  program
    .command('ui')
    .summary('live dashboard in the browser: runs, plans, workers, transcripts')
    .description(
      'Serve a live dashboard of runs, plans and workers on 127.0.0.1. It reads the same state as\n' +
        'every other baton command, so it shows workers started from anywhere (CLI, MCP, patterns),\n' +
        'including workers whose starting process is gone. The address carries a random token: keep\n' +
        'it private. Ctrl-C stops the dashboard; workers keep running.',
    )
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)', portOption)
    .option('--open', 'open the page in the default browser')
    .addHelpText('after', '\nExamples:\n  baton ui --open\n  baton ui --port 7070')
    .action(async (opts: { port?: number; open?: boolean }) => {
      const dashboard = await startDashboard(engine(), { port: opts.port });
      printLines(
        `baton dashboard: ${dashboard.url}`,
        'The address carries an access token; anyone with it can stop your workers. Ctrl-C to quit.',
      );
      if (!dashboard.assetsBuilt) printLines("note: the page is not built yet; run 'npm run build' in baton");
      if (opts.open) openBrowser(dashboard.url);
      await untilSignal();
      await dashboard.close();
    });
}
