import { afterAll } from 'vitest';
import { Engine, isEnded, startDryRun, type DryRun } from '../../src/index.js';
import { tempDir } from './tmp.js';

/** A state dir, an Engine on it and a running scripted model, torn down after the file. */
export async function dryRunFixture(): Promise<{ home: string; engine: Engine; dry: DryRun }> {
  const home = tempDir('baton-home-');
  const engine = new Engine({ home });
  const dry = await startDryRun(home);
  afterAll(async () => {
    await engine.stop(
      engine
        .list()
        .filter((w) => !isEnded(w.state))
        .map((w) => w.label),
      { graceMs: 500 },
    );
    engine.close();
    await dry.close();
  });
  return { home, engine, dry };
}
