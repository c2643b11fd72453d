import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Command } from 'commander';
import { globSync } from 'tinyglobby';
import {
  BatonError,
  PATTERN_BACKENDS,
  checkBackends,
  builtinWorkflowFile,
  loadWorkflow,
  runWorkflow,
  type Engine,
  type RawParams,
} from '../../index.js';
import { durationOption, positiveInt } from '../options.js';
import { printJson } from '../output.js';
import { RunProgress } from '../run-progress.js';

interface CommonOptions {
  backend?: string;
  context?: string;
  dryRun?: boolean;
  cwd?: string;
  run?: string;
  budget?: number;
  timeout?: number;
  quiet?: boolean;
  json?: boolean;
}

const AGENTS = PATTERN_BACKENDS.join(', ');

const BACKEND_HELP = `
--backend takes one backend or a comma list (${AGENTS}).
A list is spread round-robin over each fan-out: with codex,claude,gemini,
worker 1 runs on codex, 2 on claude, 3 on gemini, 4 on codex again. Single
workers (scout, implementer, verifier, judge) use the first. An item may pick
the model too, e.g. codex=gpt-5.5,claude=claude-opus-4-1,gemini (the CLI's own
default model otherwise). With --dry-run every backend talks to baton's
scripted offline models, e.g.
  baton review src --backend ${PATTERN_BACKENDS.join(',')} --dry-run`;

/** The flags every pattern takes. */
function common(cmd: Command): Command {
  return cmd
    .option(
      '-b, --backend <names>',
      `backend, or a comma list spread round-robin over fan-outs (${AGENTS})`,
      'codex',
    )
    .option('--context <file>', 'context pack every worker gets (markdown, JSON or YAML)')
    .option('--dry-run', 'use scripted offline models (every backend): rehearse without spending tokens')
    .option('-C, --cwd <dir>', 'where the workers work (default: here)')
    .option('--run <id>', 'run id (default <pattern>-<time>)')
    .option('--budget <tokens>', 'token budget for the whole run', positiveInt('--budget'))
    .option('-t, --timeout <duration>', 'wall-clock limit per worker', durationOption('--timeout'))
    .option('-q, --quiet', 'no live progress')
    .option('--json', 'print {runId, state, report, workers, …} as JSON')
    .addHelpText('after', BACKEND_HELP);
}

/**
 * `--backend a,b,…` as names in order, refused (exit 2, one line) before anything starts when empty
 * or naming a backend that cannot take a task.
 */
export function backendList(value: string | undefined): string[] {
  const names = (value ?? 'codex')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new BatonError('BAD_INPUT', `--backend: name a backend; use one of: ${AGENTS}`);
  checkBackends(names);
  return names;
}

/** Runs a workflow with live progress, prints the report, exits 0 only on success. */
export async function runPattern(engine: Engine, nameOrFile: string, params: RawParams, opts: CommonOptions) {
  const workflow = loadWorkflow(nameOrFile);
  const backends = backendList(opts.backend);
  let runId: string | null = null;
  const progress = new RunProgress(engine, () => runId, Boolean(opts.quiet || opts.json));
  progress.start();
  try {
    const result = await runWorkflow(engine, workflow, params, {
      cwd: opts.cwd,
      backends,
      contextFile: opts.context,
      dryRun: opts.dryRun,
      runId: opts.run,
      budgetTokens: opts.budget,
      timeoutMs: opts.timeout,
      onProgress: (e) => {
        if (e.type === 'plan') runId = e.runId;
        progress.onEvent(e);
      },
    });
    progress.stop();
    process.exitCode = result.state === 'succeeded' ? 0 : 1;
    if (opts.json) return printJson(result);
    process.stdout.write(result.report);
    process.stderr.write(`report saved: ${path.relative(process.cwd(), result.reportFile)}\n`);
  } finally {
    progress.stop();
  }
}

/** Sections for `split`: globs expand to files; other items are used as given (files or names). */
function expandSections(items: string[], cwd: string | undefined): string[] {
  const base = path.resolve(cwd ?? '.');
  return items.flatMap((item) => {
    if (!/[*?[{]/.test(item)) return [item];
    const files = globSync(item, { cwd: base, onlyFiles: true }).sort();
    return files.length > 0 ? files : [item];
  });
}

/** `review`, `fix`, `task`, `split`, `research`, `options`: the six patterns as commands. */
export function registerPatterns(program: Command, engine: () => Engine): void {
  common(
    program
      .command('review')
      .summary('pattern A: 2-4 read-only reviewers with different lenses → one ranked list')
      .argument('<paths...>', 'files or folders to review')
      .option('--lenses <list>', 'comma list of 2-4 lenses', 'correctness,security,clarity'),
  ).action((paths: string[], o: CommonOptions & { lenses: string }) =>
    runPattern(engine(), 'review', { paths, lenses: o.lenses }, o),
  );
  common(
    program
      .command('fix')
      .summary('pattern B: reviewer → one implementer (owns the paths) → verifier, until pass')
      .argument('<paths...>', 'files or folders to fix')
      .option('--rounds <n>', 'most rounds', positiveInt('--rounds'), 3)
      .option('--lens <lens>', 'what the reviewer looks for', 'correctness'),
  ).action((paths: string[], o: CommonOptions & { rounds: number; lens: string }) =>
    runPattern(engine(), 'fix', { paths, rounds: o.rounds, lens: o.lens }, o),
  );
  common(
    program
      .command('task')
      .summary('pattern C: scout → implementer with the condensed context → verifier')
      .argument('<goal>', 'what should be true when done')
      .option('--scope <paths...>', 'paths the implementer may edit (default: the whole folder)')
      .option('--success <check>', 'success check for the verifier'),
  ).action((goal: string, o: CommonOptions & { scope?: string[]; success?: string }) =>
    runPattern(engine(), 'task', { goal, scope: o.scope ?? [], success: o.success }, o),
  );
  common(
    program
      .command('split')
      .summary('pattern D: one worker per section, each owning its slice; a consistency pass')
      .argument('<task>', 'what to do in every section')
      .requiredOption('--sections <items...>', 'files, globs (quoted) or section names'),
  ).action((task: string, o: CommonOptions & { sections: string[] }) => {
    const sections = expandSections(o.sections.flatMap((s) => s.split(',')).filter(Boolean), o.cwd);
    return runPattern(engine(), 'split', { task, sections }, o);
  });
  common(
    program
      .command('research')
      .summary('pattern E: researchers in parallel → a decision-ready brief with sources')
      .argument('<question>', 'the question')
      .option('--angles <n|list>', 'number of angles (1-6) or a comma list of angles'),
  ).action((question: string, o: CommonOptions & { angles?: string }) => {
    const angles = o.angles === undefined ? undefined : researchAngles(o.angles);
    return runPattern(engine(), 'research', { question, angles }, o);
  });
  common(
    program
      .command('options')
      .summary('pattern F: 2-3 alternatives in parallel → one selected (with why) and refined')
      .argument('<problem>', 'the decision to make')
      .option('-n, --count <n>', 'how many alternatives (2-3)', positiveInt('-n'), 3),
  ).action((problem: string, o: CommonOptions & { count: number }) =>
    runPattern(engine(), 'options', { problem, n: o.count }, o),
  );
  registerRunCommand(program, engine);
}

const DEFAULT_ANGLES = [
  'primary sources and official documentation',
  'practical experience and known pitfalls',
  'alternatives and trade-offs',
  'recent changes and current status',
  'risks, security and compliance',
  'cost and performance',
];

function researchAngles(value: string): string[] {
  if (!/^\d+$/.test(value))
    return value
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
  const n = Number(value);
  if (n < 1 || n > DEFAULT_ANGLES.length) {
    throw new BatonError(
      'BAD_INPUT',
      `--angles: ${n} is not allowed; use 1-${DEFAULT_ANGLES.length} or a comma list of angles`,
    );
  }
  return DEFAULT_ANGLES.slice(0, n);
}

function registerRunCommand(program: Command, engine: () => Engine): void {
  common(
    program
      .command('run')
      .summary('run a workflow file (YAML/JSON) or a built-in pattern by name')
      .description(
        'Run a workflow: a YAML/JSON file with the same building blocks as the built-in patterns\n' +
          '(worker, fanout, map, select, merge, repeat). Copy a built-in to start:\n' +
          '  baton run --show review > my-review.yaml',
      )
      .argument('<workflow>', 'a file, or a built-in name: review, fix, task, split, research, options')
      .option('-p, --param <key=value...>', 'workflow parameters (lists as comma lists)')
      .option('--show', 'print the workflow file instead of running it'),
  ).action(async (name: string, o: CommonOptions & { param?: string[]; show?: boolean }) => {
    if (o.show) {
      const file = existsSync(builtinWorkflowFile(name)) ? builtinWorkflowFile(name) : path.resolve(name);
      loadWorkflow(name);
      process.stdout.write(readFileSync(file, 'utf8'));
      return;
    }
    const params: RawParams = {};
    for (const kv of o.param ?? []) {
      const at = kv.indexOf('=');
      if (at <= 0) throw new BatonError('BAD_INPUT', `--param: "${kv}" must look like key=value`);
      params[kv.slice(0, at)] = kv.slice(at + 1);
    }
    return runPattern(engine(), name, params, o);
  });
}
