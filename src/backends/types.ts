import type { BatonEvent, EndState, Usage } from '../events.js';

/** What baton asks a backend to run: already validated and resolved to absolute paths. */
export interface WorkerSpec {
  label: string;
  backend: string;
  role: string;
  /** Absolute working directory (codex `-C`, shell cwd). */
  cwd: string;
  /** codex `-s`; null for backends without a sandbox. */
  sandbox: Sandbox | null;
  /** The task as the user wrote it. */
  task: string;
  /** The full prompt the agent receives (preamble + role + task). */
  prompt: string;
  /** codex `--output-schema`: absolute path of the worker's copy of the schema. */
  schemaPath: string | null;
  /** Extra arguments for the backend CLI (after `--` on the baton command line). */
  extraArgs: string[];
  /** Extra environment for the worker process (e.g. CODEX_HOME for dry runs). */
  env: Record<string, string>;
  /** codex `-m`; null = the backend's own default. */
  model: string | null;
}

export const SANDBOXES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type Sandbox = (typeof SANDBOXES)[number];

/** The process baton starts for a worker: argv[0] is an absolute path or a name looked up on PATH. */
export interface BackendCommand {
  argv: string[];
  env: Record<string, string>;
}

/** What the store has learned from a worker's events so far (folded by `workers/fold.ts`). */
export interface WorkerFacts {
  threadId: string | null;
  finalMessage: string | null;
  usage: Usage | null;
  turnStatus: 'completed' | 'failed' | null;
  turnError: string | null;
}

/** How the worker's process ended, as the wrapper recorded it. */
export interface ExitInfo {
  exitCode: number;
  /** The last non-empty lines of stderr, for failure reasons. */
  stderrTail: string;
  /** For backends without an event stream: the tail of stdout. */
  stdoutTail: string;
}

/**
 * One agent CLI behind baton's engine. Adding a backend = one folder implementing this,
 * registered in `backends/registry.ts`.
 */
export interface Backend {
  readonly name: string;
  /** True when stdout is an event stream (JSONL) to parse line by line. */
  readonly streamsEvents: boolean;
  /** Default wall-clock limit when the user gives none (null = no limit). */
  readonly defaultTimeoutMs: number | null;
  /** How many workers of this backend run at once unless `--max-parallel` says otherwise. */
  readonly defaultMaxParallel: number;
  /** Builds argv and env. Throws BatonError when the CLI is missing or the spec is unusable. */
  command(spec: WorkerSpec): BackendCommand;
  /**
   * Continues an earlier conversation with a new message (codex: `exec resume <thread>`); absent
   * when the CLI cannot, so baton refuses follow-ups for it.
   */
  resume?(spec: WorkerSpec, threadId: string): BackendCommand;
  /** Maps one stdout line to normalized events; noise lines give []. */
  parseLine(line: string): BatonEvent[];
  /** Decides success or failure once the process has exited (cancel/timeout are decided before). */
  conclude(
    facts: WorkerFacts,
    exit: ExitInfo,
  ): { state: EndState; reason: string | null; finalMessage: string | null };
}
