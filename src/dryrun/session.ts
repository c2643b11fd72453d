import path from 'node:path';
import { DRYRUN_KEY_ENV, DRYRUN_MODEL, writeDryRunCodexHome } from './codex-home.js';
import { startFakeModel, type FakeModelOptions, type FakeModelServer } from './responses-server.js';

/** A running scripted model plus what a codex worker needs to talk to it. */
export interface DryRun {
  server: FakeModelServer;
  /** Environment for codex workers: their own CODEX_HOME pointing at the fake server. */
  env: Record<string, string>;
  model: string;
  close(): Promise<void>;
}

/**
 * Starts the scripted model (offline, no tokens spent) and a CODEX_HOME under the state directory
 * that points codex at it. The user's own CODEX_HOME is never touched.
 */
export async function startDryRun(stateRoot: string, opts: FakeModelOptions = {}): Promise<DryRun> {
  const server = await startFakeModel(opts);
  const codexHome = writeDryRunCodexHome(
    path.join(stateRoot, 'dryrun', `codex-home-${server.port}`),
    server.baseUrl,
  );
  return {
    server,
    env: { CODEX_HOME: codexHome, [DRYRUN_KEY_ENV]: 'dry-run' },
    model: DRYRUN_MODEL,
    close: () => server.close(),
  };
}
