import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDryRun, type DryRun } from '../../src/index.js';
import { execToEnd } from '../../src/dryrun/scenarios.js';
import { batonAsync, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// Workers run detached under a tiny sh wrapper: killing every baton process must not touch them,
// no Node process may sit beside each worker, and a later baton call must still find their results.

/**
 * Like the built-in `sleep` scenario, but the tool call runs until the test drops a `go` file into
 * the worker's folder (so "mid-way" holds however slow the machine is), and the final message names
 * the worker, so results can be told apart. The message comes from the model, not the shell, so
 * login-shell noise on the test machine cannot leak into it.
 */
const outlive = execToEnd('touch waiting; while [ ! -e go ]; do sleep 0.1; done', {
  say: (ctx) => `FINAL ${ctx.vars.NAME ?? '?'} outlived baton`,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Field 3 of /proc/PID/stat (R, S, Z, …), or null once the pid is gone. */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

const isAlive = (pid: number) => {
  const state = procState(pid);
  return state !== null && state !== 'Z';
};

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Live processes whose environment carries BATON_WORKER=<cookie> (found independently of src/). */
function pidsWithCookie(cookie: string): number[] {
  const needle = `BATON_WORKER=${cookie}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        return vars.includes(needle) && isAlive(pid);
      } catch {
        return false;
      }
    });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

describe('workers outlive baton', () => {
  const root = tempDir('baton-outlive-');
  const home = path.join(root, 'home');
  const cookie = (label: string) => path.join(home, 'workers', label);
  const started = new Set<ChildProcess>();
  let dry: DryRun;
  let env: NodeJS.ProcessEnv;

  /** Runs the CLI without blocking this process (the fake model answers from here). */
  function run(args: string[], timeoutMs = 30_000): Promise<CliResult> {
    const child = batonAsync(args, { env });
    started.add(child);
    return collect(child, timeoutMs);
  }

  function collect(child: ChildProcess, timeoutMs: number): Promise<CliResult> {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr: signal ? `${stderr}[killed by ${signal}]` : stderr });
      });
    });
  }

  beforeAll(async () => {
    dry = await startDryRun(home, { scenarios: { outlive } });
    env = { ...dry.env, BATON_HOME: home, BATON_WORKER: undefined, BATON_ALLOW_NESTED: undefined };
  });

  afterAll(async () => {
    // Whatever a failed test left behind: our own workers only, found by their cookies.
    const labels = existsSync(path.join(home, 'workers')) ? readdirSync(path.join(home, 'workers')) : [];
    for (const label of labels) for (const pid of pidsWithCookie(cookie(label))) killQuietly(pid);
    await dry.close();
  });

  it('keeps codex workers running and reporting after every baton process is SIGKILLed', async () => {
    const labels = ['W1', 'W2', 'W3', 'W4'];
    const spawned = await Promise.all(
      labels.map((label) => {
        const cwd = path.join(root, `wd-${label}`);
        mkdirSync(cwd);
        const task = `SCENARIO=outlive NAME=${label} wait for the go file, then report`;
        return run(
          ['spawn', '--label', label, '-m', dry.model, '--role', 'implementer'].concat([
            '--cwd',
            cwd,
            '--json',
            task,
          ]),
        );
      }),
    );
    const wrappers = new Map<string, number>();
    for (const [i, r] of spawned.entries()) {
      expect(r.code, r.stderr).toBe(0);
      const view = JSON.parse(r.stdout) as { label: string; pid: number | null; state: string };
      expect(view).toMatchObject({ label: labels[i], state: 'running' });
      expect(view.pid).toBeGreaterThan(0);
      wrappers.set(view.label, view.pid ?? -1);
    }

    const waiter = batonAsync(['wait', '--all'], { env });
    started.add(waiter);
    const waited = collect(waiter, 60_000);

    // Mid-way: every worker is inside its tool call, waiting for its `go` file.
    const workdir = (label: string) => path.join(root, `wd-${label}`);
    await until(
      'every worker to wait',
      () => labels.every((l) => existsSync(path.join(workdir(l), 'waiting'))),
      30_000,
    );
    for (const label of labels) {
      const tree = pidsWithCookie(cookie(label));
      expect(tree.length).toBeGreaterThan(0);
      expect(tree.map((pid) => `${pid}:${comm(pid)}`).filter((p) => p.endsWith(':node'))).toEqual([]);
      expect(comm(wrappers.get(label) ?? -1)).toBe('sh');
    }
    expect(waiter.exitCode).toBeNull();

    // Kill every baton process this test started (only `wait` should still be alive).
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    const killedWait = await waited;
    expect(killedWait.stderr).toContain('[killed by SIGKILL]');
    expect([...started].filter((c) => c.pid !== undefined && isAlive(c.pid))).toEqual([]);

    await sleep(300);
    for (const label of labels) {
      expect(isAlive(wrappers.get(label) ?? -1), `${label} wrapper`).toBe(true);
      expect(pidsWithCookie(cookie(label)).map(comm), label).toContain('codex');
      expect(existsSync(path.join(cookie(label), 'exit'))).toBe(false);
    }

    // With no baton process at all, the workers finish and record their exit status themselves.
    for (const label of labels) writeFileSync(path.join(workdir(label), 'go'), '');
    await until('exit files', () => labels.every((l) => existsSync(path.join(cookie(l), 'exit'))), 30_000);

    const fresh = await run(['wait', ...labels, '--json']);
    expect(fresh.code, fresh.stderr).toBe(0);
    const report = JSON.parse(fresh.stdout) as {
      satisfied: boolean;
      succeeded: boolean;
      workers: { label: string; state: string }[];
    };
    expect(report.satisfied).toBe(true);
    expect(report.succeeded).toBe(true);
    expect(report.workers.map((w) => [w.label, w.state])).toEqual(labels.map((l) => [l, 'succeeded']));
    for (const label of labels) {
      const result = await run(['result', label]);
      expect(result).toEqual({ code: 0, stdout: `FINAL ${label} outlived baton\n`, stderr: '' });
    }
  });

  it('reports a worker whose wrapper and command were killed as lost, with a reason', async () => {
    const spawned = await run(['spawn', '--label', 'gone', '--backend', 'shell', '--', 'sleep', '30']);
    expect(spawned.code, spawned.stderr).toBe(0);
    const ps = await run(['ps', '--json']);
    const views = JSON.parse(ps.stdout) as { label: string; pid: number | null }[];
    const wrapper = views.find((v) => v.label === 'gone')?.pid ?? -1;
    expect(wrapper).toBeGreaterThan(0);

    await until('the sleep', () => pidsWithCookie(cookie('gone')).length > 0, 10_000);
    // The wrapper first: were the command to die first, the wrapper would record its exit status.
    process.kill(wrapper, 'SIGKILL');
    await until('the wrapper to die', () => !isAlive(wrapper), 5_000);
    for (const pid of pidsWithCookie(cookie('gone'))) killQuietly(pid);
    await until('the sleep to die', () => pidsWithCookie(cookie('gone')).length === 0, 5_000);

    const waited = await run(['wait', 'gone', '--json', '--timeout', '10s']);
    expect(waited.code).toBe(1);
    const report = JSON.parse(waited.stdout) as {
      satisfied: boolean;
      workers: { state: string; reason: string | null }[];
    };
    expect(report.satisfied).toBe(true);
    expect(report.workers[0]?.state).toBe('lost');
    expect(report.workers[0]?.reason).toMatch(/vanished/);

    const result = await run(['result', 'gone']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^baton: gone lost: .*vanished/);
  });
});
