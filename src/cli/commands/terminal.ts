import type { Command } from 'commander';
import {
  DEFAULT_EXEC_YIELD_MS,
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_WRITE_YIELD_MS,
  execCommand,
  writeStdin,
  type Engine,
  type TerminalReply,
} from '../../index.js';
import { durationOption, positiveInt } from '../options.js';
import { printJson } from '../output.js';

function show(r: TerminalReply, json: boolean | undefined): void {
  if (json) return printJson(r);
  if (r.output) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
  if (r.sessionId) {
    process.stderr.write(
      `baton: session ${r.sessionId} still running · poll: baton write ${r.sessionId} · type: baton write ${r.sessionId} --chars "…" -n · stop: baton stop ${r.sessionId}\n`,
    );
  } else {
    process.exitCode = r.exitCode ?? 1;
  }
}

const yieldOption = (fallback: number) =>
  [
    '--yield-ms <ms>',
    `wait this long for output before returning (default ${fallback})`,
    positiveInt('--yield-ms'),
    fallback,
  ] as const;

/** `baton exec` and `baton write`: background terminals with Codex's exec_command/write_stdin semantics. */
export function registerTerminal(program: Command, engine: () => Engine, extraArgs: string[]): void {
  program
    .command('exec')
    .summary('run a command in a background terminal; returns output or a session id')
    .description(
      'Run a command as a background terminal session. If it ends within --yield-ms you get its\n' +
        'output and its exit status; otherwise a session id (stderr) and the output so far, and the\n' +
        'command keeps running after baton exits. One argument after "--" is a shell command line;\n' +
        'several are run as argv. --tty gives it a real PTY (for REPLs and programs that need one).',
    )
    .usage('[options] -- command [args...]')
    .option('--tty', 'run inside a real pseudo-terminal')
    .option('-C, --cwd <dir>', 'working directory (default: here)')
    .option(...yieldOption(DEFAULT_EXEC_YIELD_MS))
    .option(
      '--max-output-tokens <n>',
      'bound the output (≈4 chars a token); the middle is cut',
      positiveInt('--max-output-tokens'),
      DEFAULT_MAX_OUTPUT_TOKENS,
    )
    .option('-t, --timeout <duration>', 'wall-clock limit for the session', durationOption('--timeout'))
    .option('-l, --label <label>', 'session id to use (default S1, S2, …)')
    .option('--json', 'print {sessionId, exitCode, state, output, omittedChars, wallTimeMs}')
    .addHelpText(
      'after',
      '\nExamples:\n  baton exec -- "npm test 2>&1 | tail -5"\n  baton exec --tty --yield-ms 500 -- python3 -i\n  baton write S1 --chars "print(6*7)" -n',
    )
    .action(
      async (opts: {
        tty?: boolean;
        cwd?: string;
        yieldMs: number;
        maxOutputTokens: number;
        timeout?: number;
        label?: string;
        json?: boolean;
      }) => {
        const r = await execCommand(engine(), {
          command: extraArgs,
          cwd: opts.cwd,
          tty: opts.tty,
          yieldMs: opts.yieldMs,
          maxOutputTokens: opts.maxOutputTokens,
          timeoutMs: opts.timeout,
          label: opts.label,
        });
        show(r, opts.json);
      },
    );

  program
    .command('write')
    .summary('type into a terminal session (or poll it) and get its new output')
    .description(
      'Type into a session started by baton exec and return the output produced since the last\n' +
        'read. With no --chars it just polls. --ctrl-c interrupts the running command.',
    )
    .argument('<session>', 'session id from baton exec, e.g. S1')
    .option('--chars <text>', 'text to type (sent as is)')
    .option('-n, --newline', 'press Enter after the text')
    .option('--ctrl-c', 'send Ctrl+C (SIGINT to the running command)')
    .option(...yieldOption(DEFAULT_WRITE_YIELD_MS))
    .option(
      '--max-output-tokens <n>',
      'bound the output (≈4 chars a token)',
      positiveInt('--max-output-tokens'),
      DEFAULT_MAX_OUTPUT_TOKENS,
    )
    .option('--json', 'print {sessionId, exitCode, state, output, omittedChars, wallTimeMs}')
    .action(
      async (
        session: string,
        opts: {
          chars?: string;
          newline?: boolean;
          ctrlC?: boolean;
          yieldMs: number;
          maxOutputTokens: number;
          json?: boolean;
        },
      ) => {
        const chars = (opts.chars ?? '') + (opts.newline ? '\n' : '');
        const r = await writeStdin(engine(), {
          sessionId: session,
          chars,
          ctrlC: opts.ctrlC,
          yieldMs: opts.yieldMs,
          maxOutputTokens: opts.maxOutputTokens,
        });
        show(r, opts.json);
      },
    );
}
