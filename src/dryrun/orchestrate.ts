import type { Scenario, Step, StepContext } from './scenarios.js';
import { outputSection } from './transcript.js';

/** Codex lists an MCP server's tools as the function namespace `mcp__<server>`. */
const BATON_NAMESPACE = 'mcp__baton';

/** Codex's answer to a call of a tool it does not (yet) have: MCP servers start in the background. */
const UNSUPPORTED = 'unsupported call';

/** Gives up waiting for the MCP server after this many refused calls (a quarter second apart: a minute). */
const MAX_RETRIES = 240;

function baton(name: string, args: Record<string, unknown>): Step {
  return { call: name, namespace: BATON_NAMESPACE, args };
}

/** The final message a get_result call returned (codex shows the tool's structured content as JSON). */
function finalMessageOf(toolOutput: string): string {
  const body = outputSection(toolOutput).trim();
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'final_message' in parsed) {
      return String(parsed.final_message);
    }
  } catch {
    // plain text content
  }
  return body;
}

/**
 * A scripted orchestrator for a real codex with baton as its MCP server: spawn_worker once per
 * text in TEXTS (workers run `SCENARIO=say`), wait_workers for all, get_result for each, then a
 * final message carrying the results. Calls codex refuses while the server is starting are retried.
 */
export const orchestrateScenario: Scenario = (ctx: StepContext): Step => {
  const done = ctx.toolOutputs.filter((o) => !o.startsWith(UNSUPPORTED));
  const refused = ctx.toolOutputs.length - done.length;
  const texts = (ctx.vars.TEXTS ?? 'alpha,beta,gamma').split(',').filter(Boolean);
  const labels = texts.map((_, i) => `${ctx.vars.PREFIX ?? 'O'}${i + 1}`);
  const script: Step[] = [
    ...texts.map((text, i) => baton('spawn_worker', { label: labels[i], task: `SCENARIO=say TEXT=${text}` })),
    baton('wait_workers', { labels, mode: 'all', timeout_ms: 60_000 }),
    ...labels.map((label) => baton('get_result', { label })),
  ];
  const next = script[done.length];
  if (next === undefined) {
    const results = done.slice(texts.length + 1).map((o, i) => `${labels[i]}: ${finalMessageOf(o)}`);
    return { say: `FINAL orchestrator\n${results.join('\n')}` };
  }
  if (refused > MAX_RETRIES) return { say: `FINAL orchestrator: the baton MCP tools never became available` };
  return ctx.lastToolOutput.startsWith(UNSUPPORTED) ? { delayMs: 250, then: next } : next;
};
