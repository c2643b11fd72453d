import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDryRun, type DryRun } from '../../src/index.js';
import { batonAsync, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// Stop means stopped: SIGINT, grace, then SIGKILL of everything that carries the worker's cookie,
// setsid'd grandchildren and SIGINT-ignoring scripts included, within a time bound.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Live (non-zombie) processes whose environment carries BATON_WORKER=<cookie>. */
function pidsWithCookie(cookie: string): number[] {
  const needle = `BATON_WORKER=${cookie}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return vars.includes(needle) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    });
}

/** Session id (field 6 of /proc/PID/stat), or null once the pid is gone. */
function sessionOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
  } catch {
    return null;
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
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

interface View {
  label: string;
  state: string;
  reason: string | null;
  exitCode: number | null;
  pid: number | null;
  endedAt: string | null;
}

describe('baton stop', () => {
  const root = tempDir('baton-stop-');
  const home = path.join(root, 'home');
  const cookie = (label: string) => path.join(home, 'workers', label);
  let dry: DryRun;
  let env: NodeJS.ProcessEnv;

  /** Runs the CLI without blocking this process (the fake model answers from here). */
  function run(args: string[], timeoutMs = 30_000): Promise<CliResult> {
    const child: ChildProcess = batonAsync(args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  async function spawnOk(args: string[]): Promise<View> {
    const r = await run(['spawn', '--json', ...args]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as View;
  }

  async function view(label: string): Promise<View> {
    const r = await run(['ps', '--json']);
    const found = (JSON.parse(r.stdout) as View[]).find((v) => v.label === label);
    if (!found) throw new Error(`${label} is not in baton ps`);
    return found;
  }

  /** Spawns a long-running shell worker and waits until its command is running. */
  async function shellWorker(label: string, command: string[]): Promise<void> {
    await spawnOk(['--label', label, '--backend', 'shell', '--', ...command]);
    await until(`${label} to start`, () => pidsWithCookie(cookie(label)).length > 0, 10_000);
  }

  beforeAll(async () => {
    dry = await startDryRun(home);
    env = { ...dry.env, BATON_HOME: home, BATON_WORKER: undefined, BATON_ALLOW_NESTED: undefined };
  });

  afterAll(async () => {
    const labels = existsSync(path.join(home, 'workers')) ? readdirSync(path.join(home, 'workers')) : [];
    for (const label of labels) for (const pid of pidsWithCookie(cookie(label))) killQuietly(pid);
    await dry.close();
  });

  /** Runs `baton stop`, timing from its first act (the cancel marker) until no process is left. */
  async function timedStop(
    label: string,
    args: string[],
  ): Promise<{ result: CliResult; goneAfterMs: number }> {
    const marker = path.join(cookie(label), 'cancel');
    const stopping = run(['stop', ...args, '--json']);
    let goneAt = 0;
    await until(
      `${label} to be gone`,
      () => {
        if (existsSync(marker) && pidsWithCookie(cookie(label)).length === 0) goneAt = Date.now();
        return goneAt > 0;
      },
      20_000,
    );
    const result = await stopping;
    // The marker's mtime is when stop began signalling, exact even if this process was descheduled.
    return { result, goneAfterMs: goneAt - statSync(marker).mtimeMs };
  }

  /** Waits until the worker has `sleep`s in two sessions: one of them is the setsid'd grandchild. */
  async function sleepsInTwoSessions(label: string): Promise<void> {
    await until(
      `${label}'s setsid grandchild`,
      () => {
        const sleeps = pidsWithCookie(cookie(label)).filter((pid) => comm(pid) === 'sleep');
        return new Set(sleeps.map(sessionOf)).size >= 2;
      },
      20_000,
    );
  }

  it('stops a codex worker and its setsid grandchild: nothing left within the bound', async () => {
    const cwd = path.join(root, 'wd-codex');
    mkdirSync(cwd, { recursive: true });
    const task = 'SCENARIO=setsid SECS=60 start a background job, then wait for it';
    await spawnOk(['--label', 'C1', '-m', dry.model, '--sandbox', 'danger-full-access', '--cwd', cwd, task]);
    await sleepsInTwoSessions('C1');
    expect(pidsWithCookie(cookie('C1')).map(comm)).toContain('codex');

    const { result, goneAfterMs } = await timedStop('C1', ['C1', '--grace', '1s']);
    expect(result.code, result.stderr).toBe(0);
    expect(goneAfterMs).toBeLessThan(5000);
    expect(pidsWithCookie(cookie('C1'))).toEqual([]);
    const [stopped] = JSON.parse(result.stdout) as View[];
    expect(stopped).toMatchObject({ label: 'C1', state: 'cancelled', reason: 'stopped by baton stop' });
    expect(await view('C1')).toMatchObject({ state: 'cancelled' });
  });

  it('force-kills a script that ignores SIGINT, with its setsid grandchild, after the grace', async () => {
    await shellWorker('S1', ['sh', '-c', 'trap "" INT; setsid sleep 60 & sleep 60']);
    await sleepsInTwoSessions('S1');

    const { result, goneAfterMs } = await timedStop('S1', ['S1', '--grace', '500ms']);
    expect(result.code, result.stderr).toBe(0);
    // Nothing reacts to SIGINT, so the grace is waited out before SIGKILL.
    expect(goneAfterMs).toBeGreaterThanOrEqual(400);
    expect(goneAfterMs).toBeLessThan(5000);
    expect(pidsWithCookie(cookie('S1'))).toEqual([]);
    const [stopped] = JSON.parse(result.stdout) as View[];
    // 137 = 128 + SIGKILL: the script was killed, it did not exit on SIGINT.
    expect(stopped).toMatchObject({ label: 'S1', state: 'cancelled', exitCode: 137 });
  });

  it('stops every running worker with --all and leaves ended ones alone', async () => {
    const labels = ['A1', 'A2', 'A3'];
    await Promise.all([
      spawnOk(['--label', 'E1', '--backend', 'shell', '--', 'echo', 'finished']),
      ...labels.map((label) => shellWorker(label, ['sleep', '60'])),
    ]);
    const waited = await run(['wait', 'E1']);
    expect(waited.code, waited.stderr).toBe(0);

    const r = await run(['stop', '--all', '--grace', '2s', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const stopped = JSON.parse(r.stdout) as View[];
    // 130 = 128 + SIGINT: a plain `sleep` goes on the first signal, no SIGKILL needed.
    const ends = stopped.map((v) => [v.label, v.state, v.exitCode]).sort();
    expect(ends).toEqual(labels.map((l) => [l, 'cancelled', 130]));
    for (const label of labels) expect(pidsWithCookie(cookie(label)), label).toEqual([]);
    expect(await view('E1')).toMatchObject({ state: 'succeeded', reason: null, exitCode: 0 });
  });

  it('is harmless on workers that already ended (succeeded or stopped)', async () => {
    await Promise.all([
      spawnOk(['--label', 'D1', '--backend', 'shell', '--', 'echo', 'done']),
      shellWorker('D2', ['sleep', '60']),
    ]);
    expect((await run(['wait', 'D1'])).code).toBe(0);
    expect((await run(['stop', 'D2', '--grace', '2s'])).code).toBe(0);
    const before = JSON.parse((await run(['ps', '--json'])).stdout) as View[];
    expect(before.find((v) => v.label === 'D1')).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(before.find((v) => v.label === 'D2')).toMatchObject({ state: 'cancelled' });

    const r = await run(['stop', 'D1', 'D2', '--grace', '2s', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const after = JSON.parse((await run(['ps', '--json'])).stdout) as View[];
    expect(after).toEqual(before);
    const fields = (v: View) => [v.label, v.state, v.reason, v.exitCode, v.endedAt];
    const ended = before.filter((v) => v.label === 'D1' || v.label === 'D2');
    expect((JSON.parse(r.stdout) as View[]).map(fields).sort()).toEqual(ended.map(fields).sort());
    expect(existsSync(path.join(cookie('D1'), 'cancel'))).toBe(false);
    expect(await run(['result', 'D1'])).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
  });
});
