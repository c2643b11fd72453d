import { afterAll } from 'vitest';
import {
  Engine,
  isEnded,
  startAnthropicDryRun,
  startDryRun,
  startGeminiDryRun,
  type AgentRecordedRequest,
  type RecordedRequest,
  type Scenario,
} from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

/** Every agent backend baton drives, each against its own scripted fake model. */
export const AGENT_BACKENDS = ['codex', 'claude', 'gemini', 'opencode'] as const;
export type AgentBackend = (typeof AGENT_BACKENDS)[number];

/**
 * A state dir, an Engine and all three scripted fakes (OpenAI Responses for codex, Anthropic
 * Messages for claude and opencode, Gemini for gemini), torn down after the file. `env` points
 * every backend at its fake, the way a dry run does.
 */
export async function agentFixture(scenarios: Record<string, Scenario> = {}) {
  const home = tempDir('baton-agents-home-');
  const engine = new Engine({ home });
  const codex = await startDryRun(home, { scenarios });
  const anthropic = await startAnthropicDryRun(home, { scenarios });
  const gemini = await startGeminiDryRun(home, { scenarios });
  afterAll(async () => {
    const live = engine.list().filter((w) => !isEnded(w.state));
    await engine.stop(
      live.map((w) => w.label),
      { graceMs: 500 },
    );
    engine.close();
    await Promise.all([codex.close(), anthropic.close(), gemini.close()]);
  });
  // A login shell on this machine runs `pyenv rehash`, whose lock file outlives a SIGKILLed shell
  // (stop tests kill shells on purpose); with a stale lock every later shell would wait 60 s.
  const env = { ...codex.env, ...anthropic.env, ...gemini.env, PYENV_REHASH_TIMEOUT: '1' };
  /** The requests the fake behind `backend` saw from prompts containing `marker`. */
  function requests(backend: AgentBackend, marker: string): (RecordedRequest | AgentRecordedRequest)[] {
    const all =
      backend === 'codex'
        ? codex.server.requests
        : backend === 'gemini'
          ? gemini.server.requests
          : anthropic.server.requests;
    return all.filter((r) => r.lastUserText.includes(marker));
  }
  return { home, engine, env, model: codex.model, requests };
}
