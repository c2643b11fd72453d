import path from 'node:path';
import type { Command } from 'commander';
import { startDryRun, type Engine } from '../../index.js';
import { positiveInt } from '../options.js';
import { printLines } from '../output.js';

/** `baton fake-model`: serve the scripted model in the foreground for dry runs and rehearsals. */
export function registerFakeModel(program: Command, engine: () => Engine): void {
  program
    .command('fake-model')
    .summary('serve the scripted offline model (for dry runs) until Ctrl+C')
    .description(
      "Serve baton's scripted OpenAI Responses model on 127.0.0.1 until interrupted, and write a\n" +
        'CODEX_HOME that points codex at it. Prompts select a script with SCENARIO=<name>;\n' +
        'without one the model answers "[dry-run] <task>".',
    )
    .option('-p, --port <port>', 'port to listen on (default: any free port)', positiveInt('--port'))
    .action(async (opts: { port?: number }) => {
      const e = engine();
      const dry = await startDryRun(e.home.root, { port: opts.port ?? 0 });
      const env = Object.entries(dry.env)
        .map(([k, v]) => `${k}=${v.includes(' ') ? JSON.stringify(v) : v}`)
        .join(' ');
      printLines(
        `scripted model listening at ${dry.server.baseUrl}`,
        `codex home: ${path.relative(process.cwd(), dry.env['CODEX_HOME'] ?? '') || '.'}`,
        `use it:  ${env} baton spawn -m ${dry.model} "SCENARIO=demo NAME=x look around"`,
        'Ctrl+C to stop',
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await dry.close();
    });
}
