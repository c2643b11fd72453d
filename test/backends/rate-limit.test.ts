import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, loadWorkflow, runWorkflow, type WorkerRecord } from '../../src/index.js';
import { sampleProject } from '../patterns/fixture.js';
import { agentFixture, AGENT_BACKENDS, type AgentBackend } from './fixture.js';
import { baton } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// A 429 from the provider backs that backend off (cap halved, a pause) and the worker is retried
// after the pause even with --retries 0; a backend whose CLI is missing fails its own workers, not
// the run. vitest.config.ts sets BATON_RATE_LIMIT_PAUSE=200ms so pauses are short here.
const fx = await agentFixture();
const work = tempDir('baton-rl-');

/** Polls (every dispatch moves the queue on) until `done` holds; fails after `ms`. */
async function until<T>(engine: Engine, what: string, done: () => T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    engine.dispatch();
    const value = done();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function spawnOn(engine: Engine, b: AgentBackend, label: string, task: string): void {
  const cwd = path.join(work, label);
  mkdirSync(cwd, { recursive: true });
  engine.spawn({
    label,
    backend: b,
    task,
    cwd,
    env: fx.env,
    model: fx.model,
    freeForm: true,
    maxParallel: 4,
  });
}

describe.each(AGENT_BACKENDS)('%s hitting a rate limit', (b) => {
  it('halves the cap, pauses, and retries the worker until it succeeds', async () => {
    // opencode retries a 429 itself, five times (six requests per run), before it gives up.
    const fails = b === 'opencode' ? 6 : 1;
    spawnOn(fx.engine, b, `rl-${b}`, `SCENARIO=flaky STATUS=429 FAILS=${fails} marker-rl-${b}`);
    const { workers } = await fx.engine.wait([`rl-${b}`], { mode: 'all', timeoutMs: 90_000 });
    const last = workers[0] as WorkerRecord;
    expect(last.state, last.reason ?? '').toBe('succeeded');
    expect(last.finalMessage).toBe('FINAL flaky ok');
    const [first] = fx.engine.attempts(`rl-${b}`);
    expect(first?.state).toBe('failed');
    expect(first?.reason).toMatch(/\b429\b|rate.?limit/i);
    expect(last.attempt).toBe(2);
    // The retry waited out the pause the rate limit started.
    const limit = fx.engine.backendLimits().find((l) => l.backend === b);
    expect(limit).toMatchObject({ cap: 2, hits: 1 });
    expect(last.startedAt ?? 0).toBeGreaterThanOrEqual(limit?.until ?? Infinity);
    // One success since the hit: the cap grows back by one.
    expect(limit?.effectiveCap).toBe(3);
  }, 120_000);
});

describe('while a backend is paused', () => {
  const home = tempDir('baton-rl-pause-');
  const engine = new Engine({ home });
  const pause = process.env['BATON_RATE_LIMIT_PAUSE'];
  afterAll(async () => {
    process.env['BATON_RATE_LIMIT_PAUSE'] = pause;
    await engine.stop(['held', 'next'], { graceMs: 300 });
    engine.close();
  });

  it('starts nothing new on it, queues the retry, and ps says why', async () => {
    process.env['BATON_RATE_LIMIT_PAUSE'] = '60s';
    spawnOn(engine, 'claude', 'held', 'SCENARIO=http429 marker-held');
    await until(engine, 'the retry of "held"', () =>
      engine.attempts('held').length === 2 ? true : undefined,
    );
    spawnOn(engine, 'claude', 'next', 'SCENARIO=say TEXT=after-the-pause marker-next');
    expect(engine.get('next').state).toBe('queued');
    expect(engine.queueStatus('next')?.waitingFor).toMatch(
      /^claude to cool down after a rate limit \(\d+s\)$/,
    );
    expect(engine.get('held')).toMatchObject({ state: 'queued', attempt: 2 });

    const ps = baton(['ps'], { env: { BATON_HOME: home } });
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toMatch(/claude: rate-limited .* paused \d+s more, then cap 2 of 4, \+1 per success/);
    expect(ps.stdout).toMatch(/next .*waiting for claude to cool down after a rate limit/);
    expect(ps.stdout).toMatch(/held \(attempt 2\) .*waiting for claude to cool down after a rate limit/);
    expect(engine.queueStatus('held')?.waitingFor).toMatch(/^claude to cool down/);
  }, 90_000);
});

describe('a review whose backend CLI is missing', () => {
  it('fails that reviewer with the reason and still merges the others', async () => {
    const project = sampleProject(tempDir('baton-rl-proj-'));
    const saved = process.env['BATON_CLAUDE_BIN'];
    process.env['BATON_CLAUDE_BIN'] = '/nonexistent/claude';
    try {
      const result = await runWorkflow(
        fx.engine,
        loadWorkflow('review'),
        { paths: ['src'], lenses: 'correctness,security,clarity' },
        { cwd: project, backends: ['codex', 'claude'], env: fx.env, model: fx.model, runId: 'missing-cli' },
      );
      // Every step ran and the report covers the two reviewers that could start; the run still
      // says failed, as any run with a failed worker does, so scripts notice the missing lens.
      expect(result.failure).toBeNull();
      expect(result.state).toBe('failed');
      expect(result.report).toContain('failed: could not start: BATON_CLAUDE_BIN=/nonexistent/claude');
      const reviewers = fx.engine.list().filter((w) => w.runId === 'missing-cli');
      const byBackend = (name: string) => reviewers.filter((w) => w.backend === name);
      expect(byBackend('codex').map((w) => w.state)).toEqual(['succeeded', 'succeeded']);
      const [missing] = byBackend('claude');
      expect(missing).toMatchObject({ state: 'failed', pid: null });
      expect(missing?.reason).toBe(
        'could not start: BATON_CLAUDE_BIN=/nonexistent/claude is not an executable file',
      );
      expect(fx.engine.events(missing?.label ?? '').map((e) => e.event.type)).toEqual(['worker.ended']);
      expect(result.report).toMatch(/src\/b\.ts:1/);
    } finally {
      if (saved === undefined) delete process.env['BATON_CLAUDE_BIN'];
      else process.env['BATON_CLAUDE_BIN'] = saved;
    }
  }, 120_000);
});
