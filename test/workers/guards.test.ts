import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, type WorkerRecord } from '../../src/index.js';
import { BATON_BIN, baton } from '../helpers/cli.js';
import { dryRunFixture } from '../helpers/dryrun.js';
import { tempDir } from '../helpers/tmp.js';

const { home, engine, dry } = await dryRunFixture();
const work = tempDir('baton-guards-');

/** A shell worker that prints when it started and ended (ns since epoch). */
function timed(label: string, seconds: number, extra: Record<string, unknown> = {}): WorkerRecord {
  return engine.spawn({
    label,
    backend: 'shell',
    cwd: work,
    extraArgs: ['sh', '-c', `echo start $(date +%s%N); sleep ${seconds}; echo end $(date +%s%N)`],
    ...extra,
  });
}

function span(w: WorkerRecord): { start: number; end: number } {
  const m = /start (\d+)\nend (\d+)/.exec(w.finalMessage ?? '');
  if (!m) throw new Error(`no timestamps in ${w.label}: ${w.finalMessage}`);
  return { start: Number(m[1]) / 1e6, end: Number(m[2]) / 1e6 };
}

describe('many readers, one writer', () => {
  it('never runs writers with overlapping scopes at once, while readers run meanwhile', async () => {
    // Every pair overlaps: the same file, a file inside a folder, or a shared folder.
    const scopes = [['src'], ['src/a.ts'], ['src/a.ts', 'docs'], ['docs/guide.md', 'src']];
    const writers = scopes.map((writes, i) => timed(`WR${i}`, 0.3, { writes }));
    expect(writers.map((w) => w.state)).toEqual(['running', 'queued', 'queued', 'queued']);
    const reader = timed('RD1', 0.1);
    expect(reader.state).toBe('running');
    expect(engine.queueStatus('WR1')?.waitingFor).toBe(`WR0 to release ${path.join(work, 'src/a.ts')}`);
    const labels = [...writers.map((w) => w.label), 'RD1'];
    const { workers } = await engine.wait(labels, { mode: 'all', timeoutMs: 20_000 });
    expect(workers.every((w) => w.state === 'succeeded')).toBe(true);
    const spans = workers.slice(0, 4).map(span);
    for (let i = 0; i < spans.length; i++) {
      for (let j = i + 1; j < spans.length; j++) {
        const [a, b] = [spans[i]!, spans[j]!];
        expect(a.end <= b.start || b.end <= a.start, `WR${i} and WR${j} overlapped`).toBe(true);
      }
    }
    // The reader ran while the first writer did.
    const r = span(workers[4]!);
    expect(r.start).toBeLessThan(spans[0]!.end);
  });

  it('lets writers on disjoint scopes run together', async () => {
    const a = timed('DJ1', 0.3, { writes: ['x/one'] });
    const b = timed('DJ2', 0.3, { writes: ['x/two'] });
    expect([a.state, b.state]).toEqual(['running', 'running']);
    await engine.wait(['DJ1', 'DJ2'], { mode: 'all', timeoutMs: 10_000 });
  });

  it('moves the queue on when no baton process is running (the exiting worker dispatches)', async () => {
    const env = { BATON_HOME: home };
    // HK1 holds its scope until the test creates `release`, however slow the machine is.
    const hold = ['sh', '-c', 'while [ ! -e release ]; do sleep 0.05; done'];
    expect(
      baton(['spawn', '-l', 'HK1', '-b', 'shell', '-C', work, '-w', 'hook', '--', ...hold], { env }).code,
    ).toBe(0);
    const second = baton(['spawn', '-l', 'HK2', '-b', 'shell', '-C', work, '-w', 'hook', '--', 'true'], {
      env,
    });
    expect(second.stdout).toMatch(/HK2 queued \(#1, waiting for HK1 to release/);
    writeFileSync(path.join(work, 'release'), '');
    // Nobody waits or dispatches: only the wrappers and `baton _dispatch` can start HK2.
    // (Engine.get only reads a worker's files; it never starts anything.)
    const fresh = new Engine({ home });
    const deadline = Date.now() + 20_000;
    while (fresh.get('HK2').state !== 'succeeded' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(fresh.get('HK2').state).toBe('succeeded');
    expect(fresh.get('HK2').startedAt ?? 0).toBeGreaterThanOrEqual(fresh.get('HK1').endedAt ?? Infinity);
    fresh.close();
  });
});

describe('concurrency cap', () => {
  it('queues the 7th worker under a cap of 6 and starts it when one ends', async () => {
    const labels = Array.from({ length: 7 }, (_, i) => `CAP${i + 1}`);
    // Each worker holds its slot until the test drops its release file: no timing guesses.
    const started = labels.map((l) =>
      engine.spawn({
        label: l,
        backend: 'shell',
        cwd: work,
        maxParallel: 6,
        extraArgs: [
          'sh',
          '-c',
          `echo start $(date +%s%N); while [ ! -e release-${l} ]; do sleep 0.05; done; echo end $(date +%s%N)`,
        ],
      }),
    );
    expect(started.slice(0, 6).every((w) => w.state === 'running')).toBe(true);
    expect(started[6]?.state).toBe('queued');
    const ps = baton(['ps'], { env: { BATON_HOME: home } });
    expect(ps.stdout).toMatch(/CAP7 +shell +worker +queued .*#1 waiting for a shell slot \(6\/6 running\)/);
    writeFileSync(path.join(work, 'release-CAP1'), '');
    await engine.wait(['CAP1'], { mode: 'all', timeoutMs: 20_000 });
    const deadline = Date.now() + 20_000;
    while (engine.list().find((w) => w.label === 'CAP7')?.state === 'queued' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(engine.get('CAP7').state).toBe('running'); // it did not wait for all six
    expect(engine.get('CAP2').state).toBe('running');
    for (const l of labels.slice(1)) writeFileSync(path.join(work, `release-${l}`), '');
    const { workers } = await engine.wait(labels, { mode: 'all', timeoutMs: 20_000 });
    expect(span(workers[6]!).start).toBeGreaterThanOrEqual(span(workers[0]!).end);
  });
});

describe('workers never spawn workers', () => {
  it('refuses a spawn from inside a worker with a clear error', async () => {
    engine.spawn({
      label: 'NEST',
      backend: 'shell',
      cwd: work,
      extraArgs: [process.execPath, BATON_BIN, 'spawn', '--backend', 'shell', '--', 'true'],
    });
    const { workers } = await engine.wait(['NEST'], { mode: 'all', timeoutMs: 20_000 });
    expect(workers[0]?.state).toBe('failed');
    expect(workers[0]?.reason).toMatch(/exited with code 2: baton: workers never spawn workers/);
    expect(engine.list().map((w) => w.label)).not.toContain('W1');
  });
});

describe('run token budget', () => {
  it('stops starting workers once the run used its budget, and says so', async () => {
    const cwd = path.join(work, 'budget');
    mkdirSync(cwd, { recursive: true });
    const spawnOne = (label: string) =>
      engine.spawn({
        label,
        cwd,
        task: `SCENARIO=say TEXT=${label}`,
        env: dry.env,
        model: dry.model,
        runId: 'R-budget',
        budgetTokens: 1000,
        maxParallel: 1,
      });
    const first = spawnOne('B1');
    spawnOne('B2');
    spawnOne('B3');
    expect(first.state).toBe('running');
    await engine.wait(['B1'], { mode: 'all', timeoutMs: 20_000 });
    const { workers } = await engine.wait(['B2', 'B3'], { mode: 'all', timeoutMs: 20_000 });
    expect(engine.get('B1').state).toBe('succeeded');
    for (const w of workers) {
      expect(w.state).toBe('cancelled');
      expect(w.reason).toMatch(/^not started: run R-budget used \d+ of its 1000-token budget$/);
    }
  });
});
