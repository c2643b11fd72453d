import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DRYRUN_MODEL } from './codex-home.js';
import { startFakeAnthropic } from './anthropic-server.js';
import type { AgentDryRun, ScriptedServerOptions } from './scripted-server.js';

const API_KEY = 'sk-ant-dry-run';

/** Claude Code against the fake: no telemetry, no retries (a scripted failure fails at once). */
function claudeEnv(origin: string, stateRoot: string): Record<string, string> {
  const configDir = path.join(stateRoot, 'dryrun', 'claude-config');
  mkdirSync(configDir, { recursive: true });
  return {
    ANTHROPIC_BASE_URL: origin,
    ANTHROPIC_API_KEY: API_KEY,
    CLAUDE_CONFIG_DIR: configDir,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
  };
}

/**
 * opencode against the fake through its built-in `anthropic` provider (no runtime package install),
 * with its own XDG folders, no models catalog fetch and no update check. The dry-run model name
 * the engine passes (`-m anthropic/<model>`) is declared, since opencode refuses unknown models.
 */
function opencodeEnv(origin: string, stateRoot: string, model: string): Record<string, string> {
  const home = path.join(stateRoot, 'dryrun', 'opencode-home');
  const xdg = { config: 'config', data: 'data', cache: 'cache', state: 'state' };
  const env: Record<string, string> = {};
  for (const [key, dir] of Object.entries(xdg)) {
    const full = path.join(home, dir);
    mkdirSync(full, { recursive: true });
    env[`XDG_${key.toUpperCase()}_HOME`] = full;
  }
  const config = {
    model: `anthropic/${model}`,
    share: 'disabled',
    autoupdate: false,
    provider: {
      anthropic: {
        options: { baseURL: `${origin}/v1`, apiKey: API_KEY },
        models: { [model]: { name: `${model} (baton dry run)` } },
      },
    },
  };
  return {
    ...env,
    OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
  };
}

/**
 * Starts the scripted Anthropic Messages server for dry runs and returns the environment that
 * points both Claude Code and opencode workers at it. Nothing of the user's own configuration
 * (~/.claude, ~/.config/opencode) is read or written.
 */
export async function startAnthropicDryRun(
  stateRoot: string,
  opts: ScriptedServerOptions & { model?: string } = {},
): Promise<AgentDryRun> {
  const server = await startFakeAnthropic(opts);
  return {
    server,
    env: {
      ...claudeEnv(server.origin, stateRoot),
      ...opencodeEnv(server.origin, stateRoot, opts.model ?? DRYRUN_MODEL),
    },
    close: () => server.close(),
  };
}
