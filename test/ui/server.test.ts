import { appendFileSync, chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Engine, isEnded } from '../../src/index.js';
import { DashboardModel } from '../../src/ui/model.js';
import { startDashboard } from '../../src/ui/server.js';
import type { EventPage, RunsPage, WorkerDetail, WorkersPage, WorkerSummary } from '../../src/ui/wire.js';
import { baton } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { http, sse } from './http.js';

const FLOOD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'flood-codex.js');

const home = tempDir('baton-ui-home-');
const engine = new Engine({ home });
const dash = await startDashboard(engine, { port: 0 });
const base = dash.url;
const origin = `http://127.0.0.1:${dash.port}`;
afterAll(async () => {
  const live = engine.list().filter((w) => !isEnded(w.state));
  await engine.stop(
    live.map((w) => w.label),
    { graceMs: 300 },
  );
  await dash.close();
  engine.close();
});

async function getJson<T>(p: string): Promise<T> {
  const r = await http(base + p);
  expect(r.status, r.body).toBe(200);
  return JSON.parse(r.body) as T;
}

function shell(label: string, command: string, extra: Record<string, unknown> = {}) {
  return engine.spawn({ label, backend: 'shell', cwd: home, extraArgs: ['sh', '-c', command], ...extra });
}

describe('baton ui: the server', () => {
  it('serves an empty store without creating one', async () => {
    const runs = await getJson<RunsPage>('api/runs');
    expect(runs).toMatchObject({ runs: [], more: false, unassigned: { total: 0 } });
    expect((await getJson<WorkersPage>('api/workers')).workers).toEqual([]);
    const page = await http(base);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).not.toContain(dash.token);
    expect(existsSync(path.join(home, 'baton.db'))).toBe(false);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{40,}\/$/);
    const elsewhere = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a?.address);
    for (const address of [...elsewhere, '[::1]']) {
      await expect(http(`http://${address}:${dash.port}/${dash.token}/api/runs`)).rejects.toThrow(
        /ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH/,
      );
    }
  });

  it('refuses every request without the token', async () => {
    const t = dash.token;
    const paths = [
      '/',
      '/api/runs',
      '/api/stream',
      '/index.html',
      `/${t.slice(0, -1)}/api/runs`,
      `/${t}x/`,
      `/x/${t}/api/runs`,
    ];
    for (const p of paths) {
      const r = await http(origin + p);
      expect(r.status, p).toBe(403);
      expect(r.body).not.toContain(t);
    }
    expect((await http(`${origin}/${t}/api/runs`)).status).toBe(200);
    const bare = await http(`${origin}/${t}`);
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe(`/${t}/`);
  });

  it('refuses a foreign Host header (DNS rebinding) and a missing one', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${dash.port}`,
      `127.0.0.1:${dash.port + 1}`,
      `127.0.0.1.nip.io:${dash.port}`,
    ]) {
      const r = await http(`${base}api/runs`, { headers: { Host: host } });
      expect(r.status, host).toBe(403);
      expect(r.body).toMatch(/foreign Host/);
    }
    const none = await http(`${base}api/runs`, { setHost: false });
    expect([400, 403]).toContain(none.status);
    expect((await http(`${base}api/runs`, { headers: { Host: `localhost:${dash.port}` } })).status).toBe(200);
  });

  it('stops a worker only on a POST with the token from its own page; baton ps agrees', async () => {
    shell('sleepy', 'echo up; sleep 30', { graceMs: 300 });
    // Stop once the command runs (a stop in the first milliseconds can miss it: see the report).
    await vi.waitFor(() =>
      expect(readFileSync(path.join(home, 'workers', 'sleepy', 'stdout'), 'utf8')).toBe('up\n'),
    );
    const stopUrl = `${base}api/workers/sleepy/stop`;
    const get = await http(stopUrl);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect((await http(`${origin}/api/workers/sleepy/stop`, { method: 'POST' })).status).toBe(403);
    const foreign = await http(stopUrl, { method: 'POST', headers: { Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(engine.get('sleepy').state).toBe('running');
    const ok = await http(stopUrl, { method: 'POST', headers: { Origin: origin } });
    expect(ok.status, ok.body).toBe(200);
    expect((JSON.parse(ok.body) as WorkerSummary).state).toBe('cancelled');
    const ps = baton(['ps', '--json'], { env: { BATON_HOME: home } });
    const views = JSON.parse(ps.stdout) as { label: string; state: string; reason: string }[];
    expect(views.find((v) => v.label === 'sleepy')).toMatchObject({
      state: 'cancelled',
      reason: 'stopped from the dashboard',
    });
    expect((await http(stopUrl, { method: 'POST' })).status).toBe(409);
  });

  it('serves no secrets: no worker environment, no argv', async () => {
    const secret = 'sk-test-0123456789abcdef';
    const feed = sse(`${base}api/stream`);
    shell('envy', 'echo visible; sleep 1', { env: { OPENAI_API_KEY: secret } });
    await feed.next((m) => m.type === 'workers' && JSON.stringify(m.data).includes('"envy"'));
    const bodies = [
      (await http(`${base}api/workers`)).body,
      (await http(`${base}api/workers/envy`)).body,
      (await http(`${base}api/workers/envy/events`)).body,
      (await http(`${base}api/runs`)).body,
      JSON.stringify(feed.messages),
    ];
    feed.close();
    for (const body of bodies) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain('"argv"');
      expect(body).not.toContain('"env"');
    }
    const detail = JSON.parse(bodies[1] ?? '{}') as WorkerDetail;
    expect(detail).toMatchObject({ id: 'envy', backend: 'shell' });
  });

  it('shows terminal output lines as plain text in summaries, raw in the transcript', async () => {
    shell('colors', "printf '\\033[32mgreen\\033[0m\\n'");
    await engine.wait(['colors'], { mode: 'all', timeoutMs: 10_000 });
    const list = await getJson<WorkersPage>('api/workers');
    expect(list.workers.find((w) => w.id === 'colors')?.lastActivity).toBe('green');
    const raw = await http(`${base}api/workers/colors/output?stream=stdout`);
    expect(raw.body).toBe('\x1b[32mgreen\x1b[0m\n');
    expect(raw.headers['x-baton-next']).toBe(String(Buffer.byteLength(raw.body)));
  });

  it('pushes a state change to the live stream within 300 ms', async () => {
    const feed = sse(`${base}api/stream`);
    await feed.next(() => true, 5000, 0);
    shell('quick', 'sleep 1');
    const started = await feed.next((m) => hasWorker(m.data, 'quick', 'running'));
    expect(started.type).toBe('workers');
    const ended = await feed.next((m) => hasWorker(m.data, 'quick', 'succeeded'));
    feed.close();
    const exitWritten = statSync(path.join(home, 'workers', 'quick', 'exit')).mtimeMs;
    expect(ended.at - exitWritten).toBeLessThan(300);
  });

  it('moves the queue itself while a page is open (the dispatcher lease), and lets go after', async () => {
    const lease = path.join(home, 'dispatcher');
    const feed = sse(`${base}api/stream`);
    await vi.waitFor(() => expect(readFileSync(lease, 'utf8').trim()).toBe(String(process.pid)));
    feed.close();
    await vi.waitFor(() => expect(existsSync(lease)).toBe(false));
  });

  it('shows a worker whose process and folder vanished as lost', async () => {
    const w = shell('ghost', 'sleep 30');
    process.kill(-(w.pid ?? 0), 'SIGKILL');
    rmSync(path.join(home, 'workers', 'ghost'), { recursive: true, force: true });
    await vi.waitFor(
      async () => {
        const list = await getJson<WorkersPage>('api/workers');
        expect(list.workers.find((x) => x.id === 'ghost')?.state).toBe('lost');
      },
      { timeout: 10_000, interval: 100 },
    );
    const detail = await getJson<WorkerDetail>('api/workers/ghost');
    expect(detail.reason).toMatch(/vanished/);
    const out = await http(`${base}api/workers/ghost/output?stream=stdout`);
    expect(out.status).toBe(200);
    expect(out.body).toBe('');
    const events = await getJson<EventPage>('api/workers/ghost/events');
    expect(events.events.at(-1)?.type).toBe('worker.ended');
    expect((await http(`${base}api/workers/nobody`)).status).toBe(404);
  });

  it('pages through 10,000 events of one worker', async () => {
    chmodSync(FLOOD, 0o755);
    process.env['BATON_CODEX_BIN'] = FLOOD;
    try {
      engine.spawn({ label: 'flood', task: 'flood', cwd: home, env: { FLOOD_COMMANDS: '5000' } });
    } finally {
      delete process.env['BATON_CODEX_BIN'];
    }
    await engine.wait(['flood'], { mode: 'all', timeoutMs: 20_000 });
    const started = Date.now();
    const rows = [];
    let after = 0;
    for (;;) {
      const page = await getJson<EventPage>(`api/workers/flood/events?after=${after}&limit=2000`);
      rows.push(...page.events);
      after = page.last;
      if (!page.more) break;
    }
    expect(rows.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.filter((r) => r.type === 'command.completed' && r.tone === 'error')).toHaveLength(10);
    expect(rows.at(-1)).toMatchObject({ type: 'worker.ended', tone: 'ok' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('lists thousands of past runs, newest first, a page at a time', async () => {
    const runs = engine.runs;
    for (let i = 0; i < 3000; i++) {
      const id = `old-${String(i).padStart(4, '0')}`;
      runs.begin(id, 'review', `past run ${i}`, null);
      runs.finish(id, i % 7 === 0 ? 'failed' : 'succeeded', `# Report ${i}\n`, { i });
    }
    const started = Date.now();
    const page = await getJson<RunsPage>('api/runs?limit=100');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(page.runs).toHaveLength(100);
    expect(page.more).toBe(true);
    expect(page.runs[0]?.id).toBe('old-2999');
    expect(page.runs[0]).toMatchObject({ pattern: 'review', state: 'succeeded', hasReport: true });
    const all = await getJson<RunsPage>('api/runs?limit=5000');
    expect(all.runs.length).toBeGreaterThanOrEqual(3000);
    expect(all.more).toBe(false);
    expect((await getJson<{ report: string }>('api/runs/old-0042')).report).toBe('# Report 42\n');
    expect((await http(`${base}api/runs?limit=-1`)).status).toBe(400);
  });

  it('re-reads the store only when something changed, however many workers run', async () => {
    for (let i = 0; i < 64; i++) shell(`busy${i}`, 'sleep 20', { runId: 'fan64', maxParallel: 64 });
    const model = new DashboardModel(engine, { activeMs: 60_000, idleMs: 60_000 });
    const list = vi.spyOn(engine, 'list');
    expect(model.poll().workers.length).toBeGreaterThanOrEqual(64);
    expect(list).toHaveBeenCalledTimes(1);
    const quiet = Date.now();
    for (let i = 0; i < 20; i++) model.poll();
    expect(list).toHaveBeenCalledTimes(1);
    expect(Date.now() - quiet).toBeLessThan(200);
    appendFileSync(path.join(home, 'workers', 'busy7', 'stdout'), 'news\n');
    // A second later (past the pause a slow read earns), the new output is read.
    const changes = model.poll(Date.now() + 1000);
    expect(list).toHaveBeenCalledTimes(2);
    expect(changes.workers.map((w) => w.id)).toEqual(['busy7']);
    list.mockRestore();
  });
});

function hasWorker(data: unknown, id: string, state: string): boolean {
  const upsert = (data as { upsert?: WorkerSummary[] }).upsert ?? [];
  return upsert.some((w) => w.id === id && w.state === state);
}
