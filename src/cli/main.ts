import { Command, CommanderError } from 'commander';
import { ZodError } from 'zod';
import { BatonError, Engine, INPUT_ERROR_CODES } from '../index.js';
import { registerDemo } from './commands/demo.js';
import { registerDispatch } from './commands/dispatch.js';
import { registerFakeModel } from './commands/fake-model.js';
import { registerLogs } from './commands/logs.js';
import { registerAgentCommands } from './commands/mcp.js';
import { registerPatterns } from './commands/patterns.js';
import { registerPlan } from './commands/plan.js';
import { registerPrompt } from './commands/prompt.js';
import { registerPs } from './commands/ps.js';
import { registerResult } from './commands/result.js';
import { registerRetry } from './commands/retry.js';
import { registerRm } from './commands/rm.js';
import { registerRuns } from './commands/runs.js';
import { registerSpawn } from './commands/spawn.js';
import { registerStop } from './commands/stop.js';
import { registerTerminal } from './commands/terminal.js';
import { registerUi } from './commands/ui.js';
import { registerWait } from './commands/wait.js';

/** Everything after the first `--` belongs to the backend, never to baton's option parser. */
function splitArgs(argv: string[]): { own: string[]; extra: string[] } {
  const at = argv.indexOf('--');
  return at < 0 ? { own: argv, extra: [] } : { own: argv.slice(0, at), extra: argv.slice(at + 1) };
}

function buildProgram(extra: string[], engine: () => Engine): Command {
  const program = new Command('baton')
    .description(
      'Run many coding-agent workers in parallel and get one clean answer back.\n' +
        'Workers run detached: they outlive this command, and any later baton call sees them.\n' +
        'State lives in ./.baton (or $BATON_HOME).',
    )
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // One line, always: commander's "(Did you mean …?)" hint joins the error line.
      outputError: (text, write) =>
        write(
          `baton: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')}\n`,
        ),
    })
    .addHelpText(
      'after',
      '\nQuick start:\n' +
        '  baton demo                                  # offline fan-out on the scripted model\n' +
        '  baton spawn --label W1 --role reviewer "Review src/ for error handling"\n' +
        '  baton wait W1 && baton result W1\n' +
        "Run 'baton <command> --help' for a command's flags and examples.",
    );
  registerSpawn(program, engine, extra);
  registerPs(program, engine);
  registerWait(program, engine);
  registerResult(program, engine);
  registerLogs(program, engine);
  registerStop(program, engine);
  registerTerminal(program, engine, extra);
  registerRm(program, engine);
  registerRetry(program, engine);
  registerPrompt(program, engine);
  registerPlan(program, engine);
  registerPatterns(program, engine);
  registerRuns(program, engine);
  registerAgentCommands(program, engine);
  registerUi(program, engine);
  registerDemo(program, engine);
  registerFakeModel(program, engine);
  registerDispatch(program, engine);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

function report(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof BatonError) {
    process.stderr.write(`baton: ${error.message}\n`);
    return INPUT_ERROR_CODES.has(error.code) ? 2 : 1;
  }
  if (error instanceof ZodError) {
    const first = error.issues[0];
    process.stderr.write(`baton: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid input'}\n`);
    return 2;
  }
  process.stderr.write(`baton: internal error: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}

/** Runs the CLI; returns the exit code instead of exiting so it can be driven in-process. */
export async function main(argv: string[]): Promise<number> {
  const { own, extra } = splitArgs(argv);
  let engine: Engine | undefined;
  const getEngine = () => (engine ??= new Engine());
  try {
    await buildProgram(extra, getEngine).parseAsync(own, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    return report(error);
  } finally {
    engine?.close();
  }
}
