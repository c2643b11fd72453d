import path from 'node:path';
import { startAnthropicDryRun } from './anthropic-session.js';
import { DRYRUN_KEY_ENV, DRYRUN_MODEL, writeDryRunCodexHome } from './codex-home.js';
import { startGeminiDryRun } from './gemini-session.js';
import { startFakeModel, type FakeModelOptions, type FakeModelServer } from './responses-server.js';
import type { ScriptedServer } from './scripted-server.js';

/** The agent backends a dry run serves, each through the fake that speaks its CLI's API. */
export type DryRunBackend = 'codex' | 'claude' | 'gemini' | 'opencode';

/** Running scripted models for every agent backend, plus what their workers need to talk to them. */
export interface DryRun {
  /** The codex fake (OpenAI Responses). */
  server: FakeModelServer;
  /** The Anthropic Messages fake, which claude and opencode workers talk to. */
  anthropic: ScriptedServer;
  /** The Gemini API fake, which gemini workers talk to. */
  gemini: ScriptedServer;
  /** Environment for any agent worker: every backend's variables (no two backends share one). */
  env: Record<string, string>;
  /** Each backend's part of `env`, for pointing one CLI at its fake by hand. */
  envByBackend: Record<DryRunBackend, Record<string, string>>;
  /** The model every worker is given (`-m`); each fake accepts it. */
  model: string;
  /** Stops all three fakes. */
  close(): Promise<void>;
}

/** Variables of the Anthropic fake's environment that configure opencode; the rest is Claude Code's. */
const OPENCODE_VARS = /^(OPENCODE_|XDG_)/;

function split(env: Record<string, string>, test: RegExp): [Record<string, string>, Record<string, string>] {
  const entries = Object.entries(env);
  return [
    Object.fromEntries(entries.filter(([k]) => test.test(k))),
    Object.fromEntries(entries.filter(([k]) => !test.test(k))),
  ];
}

/** Closes the fakes that did start and returns why another did not (e.g. its port was in use). */
async function firstFailure(
  settled: readonly PromiseSettledResult<{ close(): Promise<void> }>[],
): Promise<unknown> {
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed === undefined) return undefined;
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  return failed.reason;
}

/**
 * Starts the scripted models (offline, no tokens spent): OpenAI Responses for codex, Anthropic
 * Messages for claude and opencode, Gemini for gemini. Their configuration lives under the state
 * directory (a CODEX_HOME, a Claude config dir, opencode's XDG folders, a GEMINI_CLI_HOME); the
 * user's own is never touched. `scenarios` reach all three. A nonzero `port` is the codex fake's;
 * the Anthropic and Gemini fakes take the next two (0, the default: any free ports).
 */
export async function startDryRun(stateRoot: string, opts: FakeModelOptions = {}): Promise<DryRun> {
  const port = (offset: number) => (opts.port ? opts.port + offset : 0);
  const scenarios = opts.scenarios ?? {};
  const settled = await Promise.allSettled([
    startFakeModel({ port: port(0), scenarios }),
    startAnthropicDryRun(stateRoot, { port: port(1), scenarios, model: DRYRUN_MODEL }),
    startGeminiDryRun(stateRoot, { port: port(2), scenarios }),
  ]);
  const [started, anthropicStarted, geminiStarted] = settled;
  if (
    started.status === 'rejected' ||
    anthropicStarted.status === 'rejected' ||
    geminiStarted.status === 'rejected'
  ) {
    throw await firstFailure(settled);
  }
  const [codex, anthropic, gemini] = [started.value, anthropicStarted.value, geminiStarted.value];
  const codexHome = writeDryRunCodexHome(
    path.join(stateRoot, 'dryrun', `codex-home-${codex.port}`),
    codex.baseUrl,
  );
  const [opencode, claude] = split(anthropic.env, OPENCODE_VARS);
  const envByBackend = {
    codex: { CODEX_HOME: codexHome, [DRYRUN_KEY_ENV]: 'dry-run' },
    claude,
    gemini: gemini.env,
    opencode,
  };
  return {
    server: codex,
    anthropic: anthropic.server,
    gemini: gemini.server,
    env: { ...envByBackend.codex, ...claude, ...opencode, ...gemini.env },
    envByBackend,
    model: DRYRUN_MODEL,
    close: async () => {
      await Promise.all([codex.close(), anthropic.close(), gemini.close()]);
    },
  };
}
