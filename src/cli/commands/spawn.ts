import type { Command } from 'commander';
import {
  BACKEND_NAMES,
  ROLE_NAMES,
  SANDBOXES,
  formatElapsed,
  getBackend,
  toView,
  type Engine,
} from '../../index.js';
import { durationOption, envOption, positiveInt } from '../options.js';
import { printJson, printLines } from '../output.js';

interface SpawnOptions {
  label?: string;
  backend: string;
  role: string;
  cwd?: string;
  sandbox?: string;
  schema?: string;
  timeout?: number;
  grace?: number;
  model?: string;
  writes?: string[];
  maxParallel?: number;
  run?: string;
  budget?: number;
  lens?: string;
  success?: string;
  context?: string;
  freeForm?: boolean;
  retries?: number;
  retryTimeouts?: boolean;
  env?: Record<string, string>;
  json?: boolean;
}

/** "codex 8, shell 16, …": a per-backend default, for help texts. */
function perBackend(value: (name: string) => string | null): string {
  return BACKEND_NAMES.map((name) => [name, value(name)] as const)
    .filter(([, v]) => v !== null)
    .map(([name, v]) => `${name} ${v}`)
    .join(', ');
}

/** `baton spawn`: start one worker in the background and return at once. */
export function registerSpawn(program: Command, engine: () => Engine, extraArgs: string[]): void {
  program
    .command('spawn')
    .summary('start a worker in the background (returns at once)')
    .description(
      'Start a worker in the background and return at once. The task reaches the agent verbatim ' +
        '(no shell in between). Arguments after "--" go to the backend: extra flags for the agent ' +
        'CLI, or the whole command for --backend shell.\n\nA worker that hits a rate limit (HTTP 429) ' +
        "pauses its backend, halves the backend's cap and is retried after the pause, up to 3 times.",
    )
    .usage('[options] "task" | --backend shell [options] -- command [args...]')
    .argument('[task...]', 'what the worker should do (quote it, or pass several words)')
    .option('-l, --label <label>', 'name for the worker (letters, digits, _ . -); default W1, W2, …')
    .option('-b, --backend <name>', `agent CLI to run: ${BACKEND_NAMES.join(' | ')}`, 'codex')
    .option('-r, --role <role>', `worker role: ${ROLE_NAMES.join(' | ')}`, 'worker')
    .option('-C, --cwd <dir>', 'directory the worker works in (default: here)')
    .option(
      '-s, --sandbox <mode>',
      `${SANDBOXES.join(' | ')} (default: read-only, implementer: workspace-write)`,
    )
    .option('--schema <file>', 'JSON Schema the final message must match (validated by baton)')
    .option(
      '-t, --timeout <duration>',
      `wall-clock limit, e.g. 30m (default: ${perBackend((n) => {
        const ms = getBackend(n).defaultTimeoutMs;
        return ms === null ? 'none' : ms % 60_000 === 0 ? `${ms / 60_000}m` : formatElapsed(ms);
      })})`,
      durationOption('--timeout'),
    )
    .option(
      '--grace <duration>',
      'time between SIGINT and SIGKILL when stopping (default 5s)',
      durationOption('--grace'),
    )
    .option('-m, --model <model>', "model for the agent CLI (default: the CLI's own)")
    .option('-e, --env <KEY=VALUE>', 'environment for the worker; repeat for more', envOption('--env'))
    .option(
      '-w, --writes <paths...>',
      'write scope: overlapping writers queue, never run at once (implies workspace-write)',
    )
    .option(
      '-j, --max-parallel <n>',
      `cap on running workers of this backend (${perBackend((n) => String(getBackend(n).defaultMaxParallel))}; env BATON_MAX_PARALLEL[_<BACKEND>])`,
      positiveInt('--max-parallel'),
    )
    .option('--lens <lens>', 'reviewer lens, e.g. security, correctness, clarity')
    .option('--success <check>', 'verifier success check, e.g. "npm test passes"')
    .option(
      '--context <file>',
      'context pack: markdown, or JSON/YAML with goal, non_goals, constraints, pointers, prior_decisions, success_check',
    )
    .option('--free-form', 'answer in prose even where the role has a JSON schema (reviewer, verifier)')
    .option(
      '--retries <n>',
      'retry transient failures (rate limits, 5xx, lost) up to n times, with backoff',
      positiveInt('--retries'),
    )
    .option('--retry-timeouts', 'with --retries: retry timed-out workers too')
    .option('--run <name>', 'group the worker into a run (for --budget)')
    .option(
      '--budget <tokens>',
      'token budget of the run: past it, queued workers do not start',
      positiveInt('--budget'),
    )
    .option('--json', 'print the worker as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  baton spawn --label W1 --role reviewer --cwd repo "Review src/ for error handling"\n' +
        '  baton spawn --label W2 --backend shell -- make test\n' +
        '  baton spawn --backend claude --role reviewer --lens security "Review src/auth/"\n' +
        '  baton spawn --schema findings.json "List the TODOs in src/ as JSON"\n' +
        '  baton spawn --role implementer --writes src/api.ts "Add input validation to src/api.ts"\n' +
        'Then: baton ps · baton wait W1 W2 · baton result W1',
    )
    .action((words: string[], opts: SpawnOptions) => {
      const w = engine().spawn({
        label: opts.label,
        backend: opts.backend,
        role: opts.role,
        cwd: opts.cwd,
        sandbox: opts.sandbox,
        schemaFile: opts.schema,
        timeoutMs: opts.timeout,
        graceMs: opts.grace,
        model: opts.model,
        writes: opts.writes,
        maxParallel: opts.maxParallel,
        runId: opts.run,
        budgetTokens: opts.budget,
        lens: opts.lens,
        success: opts.success,
        contextFile: opts.context,
        freeForm: opts.freeForm,
        retries: opts.retries,
        retryTimeouts: opts.retryTimeouts,
        env: opts.env,
        task: words.join(' '),
        extraArgs,
      });
      if (opts.json) return printJson(toView(w));
      const sandbox = w.sandbox ? `, ${w.sandbox}` : '';
      const queued = w.state === 'queued' ? engine().queueStatus(w.label) : undefined;
      printLines(
        queued
          ? `${w.label} queued (#${queued.position}, waiting for ${queued.waitingFor})`
          : `${w.label} ${w.state === 'running' ? 'started' : w.state} (${w.backend}, ${w.role}${sandbox}, pid ${w.pid ?? '?'})`,
        `next: baton wait ${w.label} · baton result ${w.label} · baton logs ${w.label}`,
      );
    });
}
