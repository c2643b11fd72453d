import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, isEnded, startDryRun } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';
import { connect, serverEnv } from './mcp-client.js';

const home = tempDir('baton-mcp2-');
const work = tempDir('baton-mcp2-work-');
const dry = await startDryRun(home);
const engine = new Engine({ home });
const mcp = await connect(serverEnv({ BATON_HOME: home, ...dry.env }));
afterAll(async () => {
  const live = engine.list().filter((w) => !isEnded(w.state));
  await engine.stop(
    live.map((w) => w.label),
    { graceMs: 300 },
  );
  engine.close();
  await dry.close();
});

describe('MCP plan, retry, follow-up and pattern tools', () => {
  it('keeps a plan with update_plan / get_plan and enforces the rules', async () => {
    const plan = [
      { step: 'Scout the repo', status: 'completed' },
      { step: 'Fix the bug', status: 'in_progress' },
      { step: 'Verify', status: 'pending' },
    ];
    const set = await mcp.call('update_plan', { run: 'R', plan, explanation: 'scouted' });
    expect(set.isError).toBe(false);
    expect(set.text).toBe('[x] 1. Scout the repo\n[>] 2. Fix the bug\n[ ] 3. Verify');
    const two = await mcp.call('update_plan', {
      run: 'R',
      plan: plan.map((s) => ({ ...s, status: 'in_progress' })),
    });
    expect(two.isError).toBe(true);
    expect(two.text).toMatch(/exactly one step must be in_progress/);
    const got = await mcp.call('get_plan', { run: 'R' });
    expect(got.data).toMatchObject({ run: 'R', updates: 1 });
  });

  it('retries and follows up a worker like the CLI does', async () => {
    const cwd = path.join(work, 'w');
    mkdirSync(cwd, { recursive: true });
    const spawned = await mcp.call('spawn_worker', {
      label: 'M1',
      cwd,
      model: dry.model,
      task: 'SCENARIO=say TEXT=first marker-m1',
    });
    expect(spawned.isError, spawned.text).toBe(false);
    await mcp.call('wait_workers', { labels: ['M1'], timeout_ms: 30_000 });
    const retried = await mcp.call('retry_worker', { label: 'M1', note: 'add the pool size' });
    expect(retried.isError, retried.text).toBe(false);
    expect(retried.data).toMatchObject({ label: 'M1', attempt: 2 });
    await mcp.call('wait_workers', { labels: ['M1'], timeout_ms: 30_000 });
    const retryPrompt = dry.server.requests.filter((r) => r.lastUserText.includes('marker-m1')).at(-1);
    expect(retryPrompt?.lastUserText).toContain('RETRY NOTE (attempt 2): add the pool size');
    const followed = await mcp.call('followup_worker', { label: 'M1', message: 'SCENARIO=say TEXT=second' });
    expect(followed.isError, followed.text).toBe(false);
    await mcp.call('wait_workers', { labels: ['M1'], timeout_ms: 30_000 });
    const result = await mcp.call('get_result', { label: 'M1' });
    expect(result.text).toBe('second');
    expect(engine.get('M1').attempt).toBe(3);
  });

  it('runs a pattern and returns only the curated report', async () => {
    const project = path.join(work, 'proj');
    mkdirSync(path.join(project, 'src'), { recursive: true });
    writeFileSync(path.join(project, 'src', 'a.ts'), '// TODO: handle errors\nexport const a = 1;\n');
    const r = await mcp.call('run_pattern', {
      pattern: 'review',
      params: { paths: ['src'], lenses: ['correctness', 'clarity'] },
      cwd: project,
      dry_run: true,
    });
    expect(r.isError, r.text).toBe(false);
    expect(r.data).toMatchObject({ state: 'succeeded' });
    expect(r.text).toMatch(/## One recommended next step/);
    expect(r.text).toContain('src/a.ts:1');
    expect(r.text).not.toContain('"findings"');
  });
});
