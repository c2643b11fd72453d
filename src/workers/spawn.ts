import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SANDBOXES, type Sandbox, type WorkerSpec } from '../backends/types.js';
import { getBackend } from '../backends/registry.js';
import { BatonError, badInput } from '../errors.js';
import { getRole } from '../prompts/roles.js';
import { assemblePrompt } from '../prompts/assemble.js';
import { loadContextPack } from '../prompts/context-pack.js';
import { shippedSchema } from '../prompts/templates.js';
import { validateLabel } from '../util/ids.js';
import { loadSchemaFile } from './schema.js';
import { COOKIE_VAR } from './proc.js';
import { WORKER_FILES } from './files.js';
import { normalizeScopes } from './scopes.js';

/** What a caller may ask for when spawning; every field maps to a `baton spawn` flag. */
export const spawnInputSchema = z.object({
  /** --label; default: the next free W<n>. */
  label: z.string().optional(),
  /** --backend (codex | shell). */
  backend: z.string().default('codex'),
  /** --role: worker, scout, reviewer, research, verifier, implementer. */
  role: z.string().default('worker'),
  /** --cwd; default: the current directory. */
  cwd: z.string().optional(),
  /** --sandbox; default: the role's (readers are read-only). */
  sandbox: z.string().optional(),
  /** --schema: a JSON Schema file the final message must match. */
  schemaFile: z.string().optional(),
  /** --timeout in ms; default: the backend's (codex 30 min, shell none). */
  timeoutMs: z.number().int().positive().optional(),
  /** --grace in ms between SIGINT and SIGKILL. */
  graceMs: z.number().int().nonnegative().optional(),
  /** The task text (codex: required). */
  task: z.string().default(''),
  /** Arguments after `--`: extra CLI args for codex, the whole command for shell. */
  extraArgs: z.array(z.string()).default([]),
  /** Extra environment for the worker. */
  env: z.record(z.string(), z.string()).default({}),
  /** codex -m. */
  model: z.string().optional(),
  /** --writes: paths this worker may write; overlapping writers never run at once. */
  writes: z.array(z.string()).default([]),
  /** --max-parallel: cap on running workers of this backend (default: the backend's). */
  maxParallel: z.number().int().positive().optional(),
  /** --run: groups workers, e.g. for a token budget. */
  runId: z.string().optional(),
  /** --budget: total tokens the run may use; queued workers do not start past it. */
  budgetTokens: z.number().int().positive().optional(),
  /** --lens: what a reviewer looks through (e.g. security). */
  lens: z.string().optional(),
  /** --success: the verifier's success check. */
  success: z.string().optional(),
  /** --context: a context pack file (markdown, JSON or YAML). */
  contextFile: z.string().optional(),
  /** --free-form: answer in prose even where the role has a JSON schema. */
  freeForm: z.boolean().default(false),
  /** --retries: automatic retries for transient failures (rate limits, 5xx, lost workers). */
  retries: z.number().int().nonnegative().max(20).default(0),
  /** --retry-timeouts: count timed_out as transient too. */
  retryTimeouts: z.boolean().default(false),
  /** Terminal sessions (`baton exec`): stdin you can write to, optionally through a real PTY. */
  io: z.enum(['none', 'pipe', 'tty']).default('none'),
  /**
   * When the backend's CLI cannot be found: refuse the spawn (`error`), or record the worker as
   * failed with the reason (`fail`; patterns use it so one missing CLI does not sink a whole run).
   */
  ifUnavailable: z.enum(['error', 'fail']).default('error'),
});
export type SpawnInput = z.input<typeof spawnInputSchema>;

/** A spawn request after every check: safe to write to disk and launch. */
export interface PreparedSpawn {
  spec: WorkerSpec;
  schema: unknown;
  timeoutMs: number | null;
  graceMs: number;
  writes: string[];
  maxParallel: number;
  io: 'none' | 'pipe' | 'tty';
  retries: number;
  retryTimeouts: boolean;
  argv: string[];
  env: Record<string, string>;
  /** Why the backend's CLI cannot run (with `ifUnavailable: 'fail'`); null when it can. */
  unavailable: string | null;
}

export const DEFAULT_GRACE_MS = 5000;

function resolveCwd(cwd: string | undefined): string {
  const dir = path.resolve(cwd ?? process.cwd());
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new BatonError('NOT_FOUND', `--cwd: ${dir} is not an existing directory`);
  }
  return dir;
}

function resolveSandbox(requested: string | undefined, fallback: Sandbox): Sandbox {
  if (requested === undefined) return fallback;
  const found = SANDBOXES.find((s) => s === requested);
  if (!found) throw badInput(`--sandbox: "${requested}" is not allowed; use one of: ${SANDBOXES.join(', ')}`);
  return found;
}

/** Quotes one argument for `sh -c`: single quotes, with embedded ones spliced in. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs argv inside a real PTY owned by util-linux `script` (a small C program), so a TTY session
 * needs no live Node process and reads the PTY until EIO: no lost output tail.
 */
function ptyCommand(argv: string[]): string[] {
  if (argv.length === 0) return argv;
  const command = argv.length === 1 ? (argv[0] ?? '') : argv.map(shellQuote).join(' ');
  return ['script', '-qfec', command, '/dev/null'];
}

/** The cap from `BATON_MAX_PARALLEL_<BACKEND>` or `BATON_MAX_PARALLEL`, if set. */
function configuredCap(env: NodeJS.ProcessEnv, backend: string): number | undefined {
  const name = `BATON_MAX_PARALLEL_${backend.toUpperCase()}`;
  const raw = env[name] ?? env['BATON_MAX_PARALLEL'];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw badInput(
      `${env[name] !== undefined ? name : 'BATON_MAX_PARALLEL'}="${raw}" must be a positive whole number`,
    );
  }
  return n;
}

/**
 * Checks a spawn request completely before anything is written: refuses nested spawns, unknown
 * backends/roles, unsafe labels, missing dirs, bad schemas and an unavailable CLI.
 */
export function prepareSpawn(
  raw: SpawnInput,
  label: string,
  env: NodeJS.ProcessEnv,
  templatesDir: string | null,
): PreparedSpawn {
  if (env[COOKIE_VAR] && env['BATON_ALLOW_NESTED'] !== '1') {
    throw new BatonError(
      'NESTED_SPAWN',
      'workers never spawn workers: this process runs inside a baton worker (set BATON_ALLOW_NESTED=1 only if the run allows nesting)',
    );
  }
  const built = buildSpec(raw, label, env, templatesDir);
  // Dry-build the command now so a missing CLI is reported before anything is written.
  try {
    const probe = getBackend(built.spec.backend).command({
      ...built.spec,
      schemaPath: built.schema === undefined ? null : '/schema.json',
    });
    return { ...built, argv: probe.argv, env: probe.env, unavailable: null };
  } catch (error) {
    const missing = error instanceof BatonError && error.code === 'BACKEND_UNAVAILABLE';
    if (!missing || built.ifUnavailable !== 'fail') throw error;
    return { ...built, argv: [], env: built.spec.env, unavailable: error.message };
  }
}

/**
 * Everything about a worker that does not need its CLI: validated input, the assembled prompt,
 * the sandbox, scope, schema and limits. `baton prompt` shows this without running anything.
 */
export function buildSpec(
  raw: SpawnInput,
  label: string,
  env: NodeJS.ProcessEnv,
  templatesDir: string | null,
): Omit<PreparedSpawn, 'argv' | 'env' | 'unavailable'> & { ifUnavailable: 'error' | 'fail' } {
  const input = spawnInputSchema.parse(raw);
  const backend = getBackend(input.backend);
  const role = getRole(input.role);
  if (input.io !== 'none' && backend.name !== 'shell') {
    throw badInput('terminal sessions (baton exec) run commands: use the shell backend');
  }
  if (input.io === 'tty') input.extraArgs = ptyCommand(input.extraArgs);
  validateLabel(label);
  const cwd = resolveCwd(input.cwd);
  if (input.writes.length > 0 && input.sandbox === 'read-only') {
    throw badInput(
      '--writes declares a write scope, which needs a writable --sandbox (workspace-write or danger-full-access)',
    );
  }
  const fallback = input.writes.length > 0 && role.sandbox === 'read-only' ? 'workspace-write' : role.sandbox;
  const sandbox = backend.name === 'shell' ? null : resolveSandbox(input.sandbox, fallback);
  // A writer without a declared scope owns its whole working directory.
  const writes =
    input.writes.length > 0
      ? normalizeScopes(input.writes, cwd)
      : sandbox && sandbox !== 'read-only'
        ? [cwd]
        : [];
  if (input.runId !== undefined) validateLabel(input.runId, '--run');
  // A role that expects structure (reviewer, verifier) brings its schema unless told otherwise.
  const structured =
    backend.name !== 'shell' && !input.freeForm && input.schemaFile === undefined ? role.structured : null;
  const schemaFile = structured ? shippedSchema(structured.schema) : input.schemaFile;
  const schema = schemaFile === undefined ? undefined : loadSchemaFile(path.resolve(schemaFile));
  const context =
    input.contextFile === undefined ? undefined : loadContextPack(path.resolve(input.contextFile));
  const task = input.task.trim();
  if (backend.name !== 'shell' && task.length === 0) {
    throw badInput(
      `the ${backend.name} backend needs a task, e.g. baton spawn "Review src/ for error handling"`,
    );
  }
  const spec: WorkerSpec = {
    label,
    backend: backend.name,
    role: role.name,
    cwd,
    sandbox,
    task: task || input.extraArgs.join(' '),
    prompt:
      backend.name === 'shell'
        ? input.extraArgs.join(' ')
        : assemblePrompt({
            role,
            task,
            sandbox,
            writes,
            lens: input.lens,
            success: input.success,
            context,
            structured: structured !== null,
            templatesDir,
          }),
    schemaPath: null,
    extraArgs: input.extraArgs,
    env: input.env,
    model: input.model ?? null,
  };
  const timeoutMs = input.timeoutMs ?? backend.defaultTimeoutMs;
  const graceMs = input.graceMs ?? DEFAULT_GRACE_MS;
  const maxParallel = input.maxParallel ?? configuredCap(env, backend.name) ?? backend.defaultMaxParallel;
  return {
    spec,
    schema,
    timeoutMs,
    graceMs,
    writes,
    maxParallel,
    io: input.io,
    retries: input.retries,
    retryTimeouts: input.retryTimeouts,
    ifUnavailable: input.ifUnavailable,
  };
}

/** Creates the worker's folder (and its schema copy) and returns the final command to run. */
export function materialize(
  prepared: PreparedSpawn,
  workerDir: string,
): { argv: string[]; spec: WorkerSpec } {
  mkdirSync(workerDir, { recursive: true });
  // A CLI that cannot run leaves nothing to run: the worker is recorded as failed.
  if (prepared.unavailable !== null) return { argv: [], spec: prepared.spec };
  let spec = prepared.spec;
  if (prepared.schema !== undefined) {
    const schemaPath = path.join(workerDir, WORKER_FILES.schema);
    writeFileSync(schemaPath, JSON.stringify(prepared.schema, null, 2));
    spec = { ...spec, schemaPath };
  }
  const { argv } = getBackend(spec.backend).command(spec);
  return { argv, spec };
}
