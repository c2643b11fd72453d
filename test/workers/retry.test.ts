import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/index.js';
import { findTreeByCookie } from '../../src/workers/proc.js';
import { openDb } from '../../src/store/db.js';
import { WorkerRepo } from '../../src/store/workers.js';
import { baton } from '../helpers/cli.js';
import { dryRunFixture } from '../helpers/dryrun.js';
import { tempDir } from '../helpers/tmp.js';

const { home, engine, dry } = await dryRunFixture();
const work = tempDir('baton-retry-');
const env = { BATON_HOME: home, ...dry.env };

function dir(name: string): string {
  const d = path.join(work, name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe('retry', () => {
  it('starts a linked attempt whose prompt carries the note and the added context', async () => {
    engine.spawn({
      label: 'R1',
      cwd: dir('r1'),
      task: 'SCENARIO=say TEXT=first-try marker-r1',
      env: dry.env,
      model: dry.model,
    });
    await engine.wait(['R1'], { mode: 'all', timeoutMs: 30_000 });
    const pack = path.join(work, 'more.md');
    writeFileSync(pack, 'Goal: mention the pool size (context-pack-marker)\n');
    const second = engine.retry('R1', { note: 'you missed the pool size', contextFile: pack });
    expect(second.attempt).toBe(2);
    await engine.wait(['R1'], { mode: 'all', timeoutMs: 30_000 });
    const seen = dry.server.requests
      .filter((r) => r.lastUserText.includes('marker-r1'))
      .map((r) => r.lastUserText);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toContain('RETRY NOTE (attempt 2): you missed the pool size');
    expect(seen[1]).toContain('context-pack-marker');
    expect(seen[1]).toContain('TASK:\nSCENARIO=say TEXT=first-try marker-r1'); // the original prompt
    // ps shows the latest attempt; result reads it; earlier attempts stay readable.
    expect(baton(['ps'], { env }).stdout).toMatch(/R1 \(attempt 2\) +codex/);
    expect(baton(['result', 'R1', '--json'], { env }).stdout).toMatch(/"attempt": 2/);
    const first = baton(['result', 'R1', '--attempt', '1'], { env });
    expect(first.stdout).toBe('first-try\n');
    expect(existsSync(path.join(home, 'workers', 'R1', 'stdout'))).toBe(true);
    expect(baton(['result', 'R1', '--attempt', '3'], { env }).stderr).toMatch(
      /R1 has attempts 1-2; there is no attempt 3/,
    );
  });

  it('refuses to retry a worker that is still running', () => {
    engine.spawn({ label: 'RUN1', backend: 'shell', extraArgs: ['sleep', '5'] });
    const r = baton(['retry', 'RUN1'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/RUN1 is still running; wait for it or stop it first/);
  });
});

describe('followup', () => {
  it('resumes the same codex thread, and the model sees the earlier turns', async () => {
    engine.spawn({
      label: 'FU',
      cwd: dir('fu'),
      task: 'SCENARIO=say TEXT=turn-one marker-fu',
      env: dry.env,
      model: dry.model,
    });
    const [first] = (await engine.wait(['FU'], { mode: 'all', timeoutMs: 30_000 })).workers;
    expect(first?.threadId).toBeTruthy();
    const r = baton(['followup', 'FU', 'SCENARIO=say TEXT=turn-two also cover the pool'], { env });
    expect(r.code, r.stderr).toBe(0);
    const [second] = (await engine.wait(['FU'], { mode: 'all', timeoutMs: 30_000 })).workers;
    expect(second?.state, second?.reason ?? '').toBe('succeeded');
    expect(second?.attempt).toBe(2);
    expect(second?.threadId).toBe(first?.threadId);
    expect(second?.finalMessage).toBe('turn-two');
    const resumed = dry.server.requests.find((q) => q.lastUserText.includes('turn-two also cover'));
    expect(resumed?.headers['thread-id']).toBe(first?.threadId);
    expect(JSON.stringify(resumed?.body)).toContain('marker-fu'); // the first turn is in its history
    expect(JSON.stringify(resumed?.body)).toContain('turn-one');
  });

  it('refuses where the backend cannot continue a conversation', async () => {
    engine.spawn({ label: 'SH', backend: 'shell', extraArgs: ['true'] });
    await engine.wait(['SH'], { mode: 'all', timeoutMs: 10_000 });
    const r = baton(['followup', 'SH', 'hello'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no conversation to continue|cannot continue a conversation/);
  });
});

describe('automatic retries', () => {
  it('retries HTTP 500 twice and ends succeeded on attempt 3, with no baton process alive', async () => {
    const r = baton(
      [
        'spawn',
        '-l',
        'FLAKY',
        '-m',
        dry.model,
        '-C',
        dir('flaky'),
        '--retries',
        '2',
        'SCENARIO=flaky FAILS=2 marker-flaky',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    // Nobody waits: the exiting workers' `_dispatch` runs the retry policy and waits out the backoff.
    const deadline = Date.now() + 60_000;
    let fresh = new Engine({ home });
    while (fresh.get('FLAKY').attempt < 3 || fresh.get('FLAKY').state !== 'succeeded') {
      if (Date.now() > deadline) break;
      fresh.close();
      await new Promise((res) => setTimeout(res, 500));
      // get() only reads the files (it never dispatches), so retries here are the hooks' work.
      fresh = new Engine({ home });
    }
    const attempts = fresh.attempts('FLAKY');
    fresh.close();
    expect(attempts.map((a) => a.state)).toEqual(['failed', 'failed', 'succeeded']);
    expect(attempts.map((a) => a.kind)).toEqual(['run', 'retry', 'retry']);
    expect(attempts[0]?.reason).toMatch(/demand|500/);
    expect(attempts[2]?.finalMessage).toBe('FINAL flaky ok');
  });

  it('re-runs a worker whose process tree was killed from outside (lost)', async () => {
    const cwd = dir('lost');
    engine.spawn({
      label: 'LOST',
      backend: 'shell',
      cwd,
      retries: 1,
      extraArgs: ['sh', '-c', 'if [ -e seen ]; then echo second-run; else touch seen; sleep 30; fi'],
    });
    // Kill only once the command is really running (it has created `seen`), however slow the machine.
    const started = Date.now();
    while (!existsSync(path.join(cwd, 'seen')) && Date.now() - started < 20_000) {
      await new Promise((res) => setTimeout(res, 50));
    }
    const w = engine.get('LOST');
    const tree = findTreeByCookie(engine.home.workerDir('LOST'));
    for (const pid of [w.pid ?? 0, ...tree]) process.kill(pid, 'SIGKILL');
    const { workers } = await engine.wait(['LOST'], { mode: 'all', timeoutMs: 20_000 });
    expect(workers[0]?.attempt).toBe(2);
    expect(workers[0]?.state).toBe('succeeded');
    expect(workers[0]?.finalMessage).toBe('second-run');
    expect(engine.get('LOST', 1).state).toBe('lost');
  });

  it('never retries a schema mismatch', async () => {
    const schema = path.join(work, 's.json');
    writeFileSync(
      schema,
      JSON.stringify({ type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } }),
    );
    engine.spawn({
      label: 'NOSCHEMA',
      cwd: dir('ns'),
      task: 'SCENARIO=badjson',
      schemaFile: schema,
      retries: 3,
      env: dry.env,
      model: dry.model,
    });
    const { workers } = await engine.wait(['NOSCHEMA'], { mode: 'all', timeoutMs: 20_000 });
    expect(workers[0]?.state).toBe('failed');
    expect(engine.attempts('NOSCHEMA')).toHaveLength(1);
    // Looked at once by the retry policy, then never again (dispatch keeps its no-write fast path).
    const store = new WorkerRepo(openDb(engine.home.db));
    expect(store.get('NOSCHEMA')?.retrySettled).toBe(true);
    expect(store.retryCandidates().map((w) => w.label)).not.toContain('NOSCHEMA');
  });
});
