import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeGemini } from './gemini-server.js';
import type { AgentDryRun, ScriptedServerOptions } from './scripted-server.js';

/**
 * Gemini CLI's settings for dry runs: API-key auth (a base URL alone selects an auth type it then
 * rejects), no usage statistics, telemetry or update checks, and one attempt per model call so a
 * scripted failure fails at once instead of retrying with backoff.
 */
const SETTINGS = {
  security: { auth: { selectedType: 'gemini-api-key' } },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false, maxAttempts: 1 },
};

function writeIfChanged(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // not written yet
  }
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** A GEMINI_CLI_HOME under the state directory; the user's ~/.gemini is never touched. */
export function writeDryRunGeminiHome(dir: string): string {
  mkdirSync(path.join(dir, '.gemini'), { recursive: true });
  writeIfChanged(path.join(dir, '.gemini', 'settings.json'), `${JSON.stringify(SETTINGS, null, 2)}\n`);
  return dir;
}

/** Starts the scripted Gemini API server for dry runs and returns the environment for gemini workers. */
export async function startGeminiDryRun(
  stateRoot: string,
  opts: ScriptedServerOptions = {},
): Promise<AgentDryRun> {
  const server = await startFakeGemini(opts);
  const home = writeDryRunGeminiHome(path.join(stateRoot, 'dryrun', 'gemini-home'));
  return {
    server,
    env: { GEMINI_CLI_HOME: home, GOOGLE_GEMINI_BASE_URL: server.origin, GEMINI_API_KEY: 'dry-run' },
    close: () => server.close(),
  };
}
