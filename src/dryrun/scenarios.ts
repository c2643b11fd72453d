import { orchestrateScenario } from './orchestrate.js';
import { roleScenario } from './roles.js';
import { outputSection, runningSessionId } from './transcript.js';

type Text = string | ((ctx: StepContext) => string);

// What the fake model does in reply to one request; scenarios are lists (or functions) of these.
export type Step =
  | { exec: Text }
  | { patch: Text }
  | { say: Text }
  | { poll: number | ((ctx: StepContext) => number) }
  | { reasoning: string; then: Step }
  | { http: number }
  | { malformed: true }
  | { noCompleted: true }
  | { responseFailed: string }
  | { hang: true }
  | { delayMs: number; then: Step }
  | { call: string; namespace?: string; args: ToolArgs };

// Arguments of a scripted tool call (e.g. an MCP tool), fixed or computed from the request.
export type ToolArgs = Record<string, unknown> | ((ctx: StepContext) => Record<string, unknown>);

// Everything a scenario may look at when choosing its next step; derived from the request alone.
export interface StepContext {
  /** Text of the user message that selected the scenario (the last one with a marker). */
  task: string;
  /** `KEY=value` (or `KEY='value with spaces'`) tokens found in `task`. */
  vars: Record<string, string>;
  /** Output of the most recent tool call after `task`, '' if none. */
  lastToolOutput: string;
  /** Outputs of every tool call after `task`, oldest first. */
  toolOutputs: readonly string[];
  /** `sandbox_mode` from the x-codex-turn-metadata header. */
  sandboxMode: string | null;
  /** Number of tool outputs after `task`: 0 on the first request of a turn. */
  step: number;
  /** Requests this server has seen with exactly this task text, this one included (1-based). */
  requestCount: number;
}

// A script: step i answers the request that carries i tool outputs, or a function picks each step.
export type Scenario = readonly Step[] | ((ctx: StepContext) => Step);

const SAFE_WORD = /^[A-Za-z0-9._@%+=:,/-]+$/;

function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function name(ctx: StepContext): string {
  return ctx.vars.NAME ?? 'worker';
}

// Why: every built-in edit goes through apply_patch so dry runs produce real file_change items.
export function addFilePatch(path: string, lines: readonly string[]): string {
  const body = lines.map((line) => `+${line}\n`).join('');
  return `*** Begin Patch\n*** Add File: ${path}\n${body}*** End Patch\n`;
}

/** Lines printed between the demo command's markers, or every non-empty output line. */
function countListed(toolOutput: string): number {
  const lines = outputSection(toolOutput).split('\n');
  const start = lines.indexOf('--- entries');
  const end = lines.indexOf('--- end');
  if (start >= 0 && end > start) return end - start - 1;
  return lines.filter((line) => line.trim() !== '').length;
}

// Why: long commands outlive exec_command's yield; poll them with write_stdin like a real model does.
export function execToEnd(cmd: Text, then: Step): Scenario {
  return (ctx) => {
    if (ctx.step === 0) return { exec: cmd };
    const session = runningSessionId(ctx.lastToolOutput);
    return session === null ? then : { poll: session };
  };
}

function secs(ctx: StepContext, fallback: number): string {
  const value = ctx.vars.SECS ?? '';
  return /^\d+(\.\d+)?$/.test(value) ? value : String(fallback);
}

const demo: Scenario = [
  { exec: "echo '--- entries'; ls -1 | head -50; echo '--- end'" },
  {
    patch: (ctx) =>
      addFilePatch(`baton-demo-${name(ctx)}.md`, [
        `# baton demo: ${name(ctx)}`,
        '',
        `Written by the baton dry-run \`demo\` scenario for worker ${name(ctx)}.`,
        `The worker listed ${countListed(ctx.toolOutputs[0] ?? '')} entries before writing this file.`,
      ]),
  },
  {
    say: (ctx) =>
      `FINAL ${name(ctx)}: listed ${countListed(ctx.toolOutputs[0] ?? '')} entries and wrote baton-demo-${name(ctx)}.md`,
  },
];

const edit: Scenario = [
  { exec: (ctx) => `echo ${shellQuote(name(ctx))} > ${shellQuote(`${name(ctx)}.txt`)}` },
  { patch: (ctx) => addFilePatch(`${name(ctx)}-patched.txt`, [`patched by ${name(ctx)}`]) },
  { say: (ctx) => `FINAL ${name(ctx)} done` },
];

const failures: Record<string, Scenario> = {
  http500: [{ http: 500 }],
  http429: [{ http: 429 }],
  http400: [{ http: 400 }],
  malformed: [{ malformed: true }],
  nocompleted: [{ noCompleted: true }],
  failed: [{ responseFailed: 'dry-run scenario "failed": scripted response.failed' }],
  hang: [{ hang: true }],
  flaky: (ctx) => {
    const fails = Number.parseInt(ctx.vars.FAILS ?? '2', 10);
    const status = Number.parseInt(ctx.vars.STATUS ?? '500', 10);
    return ctx.requestCount <= (Number.isNaN(fails) ? 2 : fails)
      ? { http: Number.isNaN(status) ? 500 : status }
      : { say: 'FINAL flaky ok' };
  },
};

// The scripts available to every fake server; SCENARIO=<name> in the prompt picks one.
export const builtinScenarios: Record<string, Scenario> = {
  default: roleScenario,
  demo,
  edit,
  exec: [
    { exec: (ctx) => ctx.vars.CMD ?? 'echo hi' },
    { say: (ctx) => `FINAL exec: ${outputSection(ctx.lastToolOutput).trim()}` },
  ],
  say: [{ say: (ctx) => ctx.vars.TEXT ?? 'ok' }],
  think: [{ reasoning: 'Thinking about the dry-run task', then: { say: (ctx) => ctx.vars.TEXT ?? 'ok' } }],
  slow: (ctx) => ({
    delayMs: Number.parseInt(ctx.vars.MS ?? '1000', 10) || 0,
    then: { say: ctx.vars.TEXT ?? 'FINAL slow done' },
  }),
  sleep: execToEnd((ctx) => `sleep ${secs(ctx, 30)}`, { say: 'FINAL sleep done' }),
  setsid: execToEnd(
    (ctx) => `setsid sh -c 'sleep ${secs(ctx, 300)}' >/dev/null 2>&1 & echo started; sleep ${secs(ctx, 300)}`,
    { say: 'FINAL setsid done' },
  ),
  json: [{ say: (ctx) => ctx.vars.JSON ?? '{"ok":true}' }],
  badjson: [{ say: 'not json at all' }],
  ...failures,
  orchestrate: orchestrateScenario,
};

function isSay(step: Step): step is { say: Text } {
  return 'say' in step;
}

// Why: the one rule for "which step now": index by tool outputs, then repeat the script's last answer.
export function pickStep(scenario: Scenario, ctx: StepContext): Step {
  if (typeof scenario === 'function') return scenario(ctx);
  const step = scenario[ctx.step];
  if (step !== undefined) return step;
  const lastSay = scenario.filter(isSay).at(-1);
  return lastSay ?? { say: '[dry-run] scenario finished' };
}
