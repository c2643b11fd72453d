import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { BatonError, startDryRun, type DryRun, type Engine } from '../../index.js';
import { positiveInt } from '../options.js';
import { printLines } from '../output.js';

/** One argument for sh: bare when safe, else single-quoted with embedded quotes spliced in. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The listening fakes, one line each: which backends, which API, where. */
function serverLines(dry: DryRun): string[] {
  const rows = [
    ['codex', 'OpenAI Responses', dry.server.baseUrl],
    ['claude, opencode', 'Anthropic Messages', dry.anthropic.origin],
    ['gemini', 'Gemini API', dry.gemini.origin],
  ];
  return rows.map(([who = '', api = '', url = '']) => `  ${who.padEnd(18)}${api.padEnd(20)}${url}`);
}

function assignments(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${shellWord(v)}`);
}

/** For each backend: a worker to try, with the variables that point its CLI at its fake. */
function usageLines(dry: DryRun): string[] {
  return Object.entries(dry.envByBackend).flatMap(([backend, env]) => [
    `${backend}:`,
    `  ${assignments(env).join(' ')} \\`,
    `    baton spawn --backend ${backend} -m ${dry.model} "SCENARIO=exec CMD=ls list the files"`,
  ]);
}

/** Every backend's variables as a file for `.` (sh), so one run can mix backends. */
function writeEnvFile(dry: DryRun, file: string): void {
  const lines = assignments(dry.env).map((a) => `export ${a}`);
  writeFileSync(file, `# Written by baton fake-model; valid while it runs.\n${lines.join('\n')}\n`);
}

/** Where the fakes listen and how to point each backend, or all at once, at its fake. */
function printUsage(dry: DryRun, envFile: string): void {
  const here = (file: string) => path.relative(process.cwd(), file) || '.';
  printLines(
    'scripted models listening until Ctrl+C:',
    ...serverLines(dry),
    '',
    `Each backend with the variables that point it at its model (config under ${here(path.dirname(envFile))}/):`,
    ...usageLines(dry),
    '',
    'All backends in one run (a subshell: the variables move XDG folders and CODEX_HOME):',
    `  ( . ${shellWord(here(envFile))} && baton review src --backend ${Object.keys(dry.envByBackend).join(',')} )`,
    '(`baton <pattern> --dry-run` starts scripted models of its own and needs none of this.)',
  );
}

/** `baton fake-model`: serve the scripted models in the foreground for dry runs and rehearsals. */
export function registerFakeModel(program: Command, engine: () => Engine): void {
  program
    .command('fake-model')
    .summary('serve the scripted offline models (for dry runs of every backend) until Ctrl+C')
    .description(
      "Serve baton's scripted models on 127.0.0.1 until interrupted: OpenAI\n" +
        'Responses for codex, Anthropic Messages for claude and opencode, Gemini for\n' +
        'gemini. Prints, for each backend, the variables that point it at its model\n' +
        '(its config lives under .baton/dryrun/). Prompts select a script with\n' +
        'SCENARIO=<name>; without one the model answers "[dry-run] <task>".',
    )
    .option(
      '-p, --port <port>',
      'port of the codex model; the Anthropic and Gemini models take the next two (default: any free ports)',
      positiveInt('--port'),
    )
    .action(async (opts: { port?: number }) => {
      if (opts.port !== undefined && opts.port > 65533) {
        throw new BatonError(
          'BAD_INPUT',
          `--port: ${opts.port} is too high; use 1-65533 (the models take it and the next two)`,
        );
      }
      const e = engine();
      const dry = await startDryRun(e.home.root, { port: opts.port ?? 0 });
      const envFile = path.join(e.home.root, 'dryrun', `fake-model-${dry.server.port}.env`);
      try {
        writeEnvFile(dry, envFile);
        printUsage(dry, envFile);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      } finally {
        rmSync(envFile, { force: true });
        await dry.close();
      }
    });
}
