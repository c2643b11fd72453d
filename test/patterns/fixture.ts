import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { Engine, isEnded, startDryRun, type DryRun, type Scenario } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

/** A small project with real TODO/FIXME lines for reviewers to cite. */
export function sampleProject(root: string): string {
  const files: Record<string, string> = {
    'src/a.ts': 'export function a(x: number) {\n  // TODO: validate input\n  return x * 2;\n}\n',
    'src/b.ts': '// FIXME: leaks the pool\nexport const pool = { size: 4 };\n',
    'docs/guide.md': '# Guide\n\nHow to use it.\n',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** An engine, a project and a scripted model (with optional overrides) for pattern runs. */
export async function patternFixture(scenarios: Record<string, Scenario> = {}) {
  const home = tempDir('baton-pat-home-');
  const project = sampleProject(tempDir('baton-pat-proj-'));
  const engine = new Engine({ home });
  const dry: DryRun = await startDryRun(home, { scenarios });
  afterAll(async () => {
    const live = engine.list().filter((w) => !isEnded(w.state));
    await engine.stop(
      live.map((w) => w.label),
      { graceMs: 300 },
    );
    engine.close();
    await dry.close();
  });
  const opts = { cwd: project, env: dry.env, model: dry.model };
  return { home, project, engine, dry, opts };
}

/** The requests the model saw from workers whose prompt contains `marker`. */
export function requestsWith(dry: DryRun, marker: string) {
  return dry.server.requests.filter((r) => r.lastUserText.includes(marker));
}
