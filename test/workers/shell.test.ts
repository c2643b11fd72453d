import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

describe('shell workers', () => {
  const home = tempDir();
  const engine = new Engine({ home });

  it('runs a command detached and reports success with its stdout as the result', async () => {
    const t0 = Date.now();
    const w = engine.spawn({
      label: 'ok',
      backend: 'shell',
      extraArgs: ['sh', '-c', 'sleep 5; echo hello; echo there'],
    });
    // spawn returns at once, while the command still runs
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(w.state).toBe('running');
    const { satisfied, workers } = await engine.wait(['ok'], { mode: 'all', timeoutMs: 20_000 });
    expect(satisfied).toBe(true);
    expect(workers[0]?.state).toBe('succeeded');
    expect(workers[0]?.finalMessage).toBe('hello\nthere');
  });

  it('reports a failing command as failed with its exit code and stderr', async () => {
    engine.spawn({ label: 'bad', backend: 'shell', extraArgs: ['sh', '-c', 'echo oops >&2; exit 3'] });
    const { workers } = await engine.wait(['bad'], { mode: 'all', timeoutMs: 10_000 });
    expect(workers[0]?.state).toBe('failed');
    expect(workers[0]?.reason).toBe('exited with code 3: oops');
    expect(workers[0]?.exitCode).toBe(3);
  });

  it('ends a command that runs past --timeout as timed_out', async () => {
    const t0 = Date.now();
    engine.spawn({
      label: 'slow',
      backend: 'shell',
      timeoutMs: 500,
      graceMs: 300,
      extraArgs: ['sleep', '30'],
    });
    const { workers } = await engine.wait(['slow'], { mode: 'all', timeoutMs: 10_000 });
    expect(workers[0]?.state).toBe('timed_out');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('shows the last line without colour escapes, and keeps them in the transcript', async () => {
    engine.spawn({
      label: 'colour',
      backend: 'shell',
      extraArgs: ['printf', '\\033[32mPASS\\033[0m 12 tests\\n'],
    });
    const { workers } = await engine.wait(['colour'], { mode: 'all', timeoutMs: 10_000 });
    expect(workers[0]?.lastActivity).toBe('PASS 12 tests');
    expect(readFileSync(path.join(engine.home.workerDir('colour'), 'stdout'), 'utf8')).toContain('\x1b[32m');
  });

  it('passes arguments verbatim, with no shell in between', async () => {
    const nasty = `$(touch pwned) ; rm -rf / "quoted" 'single' \`tick\` && echo`;
    engine.spawn({ label: 'verbatim', backend: 'shell', extraArgs: ['printf', '%s', nasty] });
    const { workers } = await engine.wait(['verbatim'], { mode: 'all', timeoutMs: 10_000 });
    expect(workers[0]?.finalMessage).toBe(nasty);
    expect(existsSync(path.join(process.cwd(), 'pwned'))).toBe(false);
  });

  it('keeps the full transcript in files', async () => {
    engine.spawn({ label: 'big', backend: 'shell', extraArgs: ['sh', '-c', 'seq 1 100000'] });
    await engine.wait(['big'], { mode: 'all', timeoutMs: 10_000 });
    const out = readFileSync(path.join(engine.home.workerDir('big'), 'stdout'), 'utf8');
    expect(out.split('\n').length).toBe(100001);
  });
});
