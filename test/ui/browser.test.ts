import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtinScenarios,
  Engine,
  isEnded,
  loadWorkflow,
  runWorkflow,
  startDryRun,
  type Scenario,
} from '../../src/index.js';
import { startDashboard } from '../../src/ui/server.js';
import { baton } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { sampleProject } from '../patterns/fixture.js';

// Debian's chromium, which .ci/run installs; playwright-core never downloads a browser.
const CHROMIUM = process.env['BATON_CHROMIUM'] ?? '/usr/bin/chromium';
// The flags this machine needs (no background networking: the network is closed), plus a
// resolver rule that points a foreign name at 127.0.0.1, the way a DNS-rebinding attack would.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP rebind.test 127.0.0.1',
];
const SHOTS = path.resolve('test-results');
const FLOOD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'flood-codex.js');

// Reviewers think for a moment before their first step, so the page can watch them run.
const roles = builtinScenarios['default'] as Exclude<Scenario, readonly unknown[]>;
const slowReviewers: Scenario = (ctx) => (ctx.step === 0 ? { delayMs: 1500, then: roles(ctx) } : roles(ctx));

const home = tempDir('baton-ui-browser-');
const project = sampleProject(tempDir('baton-ui-proj-'));
const engine = new Engine({ home });
const dry = await startDryRun(home, { scenarios: { default: slowReviewers } });
const dash = await startDashboard(engine);
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium`);
  if (!dash.assetsBuilt) throw new Error('the page is not built: npm run build');
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  const live = engine.list().filter((w) => !isEnded(w.state));
  await engine.stop(
    live.map((w) => w.label),
    { graceMs: 300 },
  );
  await dash.close();
  engine.close();
  await dry.close();
});

/** Scrolls the event list top to bottom, 4000 px a frame; returns the time between frames. */
const SCROLL_THROUGH_EVENTS = `(async () => {
  const box = document.querySelector('[data-testid=events]');
  const gaps = [];
  box.scrollTop = 0;
  let last = performance.now();
  for (let i = 0; i < 60; i++) {
    box.scrollTop += 4000;
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }
  return gaps;
})()`;

/** Records every main-thread task longer than 50 ms in window.longTasks. */
const WATCH_LONG_TASKS = `(() => {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.longTasks.push(e.duration);
  }).observe({ type: 'longtask' });
})()`;

/** How many DOM changes the lanes see in 1.5 s. */
const COUNT_MUTATIONS = `new Promise((resolve) => {
  let n = 0;
  const o = new MutationObserver((list) => (n += list.length));
  o.observe(document.querySelector('[data-testid=lanes]'), { subtree: true, childList: true, attributes: true, characterData: true });
  setTimeout(() => { o.disconnect(); resolve(n); }, 1500);
})`;

const lanes = (state?: string) =>
  page.locator(state ? `[data-testid=lane][data-state=${state}]` : '[data-testid=lane]');

describe('baton ui in a real browser, with real codex workers', () => {
  it('shows a pattern run live: lanes appear, states change, the plan advances, the report renders', async () => {
    await page.goto(dash.url);
    await page.getByTestId('no-runs').waitFor();
    const run = runWorkflow(
      engine,
      loadWorkflow('review'),
      { paths: ['src'], lenses: 'correctness,security,clarity' },
      { cwd: project, env: dry.env, model: dry.model, runId: 'rev1' },
    );
    // The run shows up in the list without a reload; open it.
    await page.locator('[data-run=rev1] a').click({ timeout: 10_000 });
    await lanes('running').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => lanes().count(), { timeout: 10_000 }).toBe(3);
    await page.screenshot({ path: path.join(SHOTS, 'ui-run-live.png'), fullPage: true });
    const result = await run;
    expect(result.state).toBe('succeeded');
    await expect.poll(() => lanes('succeeded').count(), { timeout: 5000 }).toBe(3);
    await page.locator('[data-testid=run-state][data-state=succeeded]').waitFor({ timeout: 5000 });
    const report = page.getByTestId('report');
    await report.locator('h2', { hasText: 'One recommended next step' }).waitFor({ timeout: 5000 });
    const steps = engine.plans.show('rev1').steps.length;
    await expect.poll(() => page.locator('[data-testid=plan] [data-status=completed]').count()).toBe(steps);
    await page.screenshot({ path: path.join(SHOTS, 'ui-run.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('follows one worker: events and transcript grow live, Stop stops it, and baton ps agrees', async () => {
    const cwd = tempDir('baton-ui-sleeper-');
    engine.spawn({ label: 'sleeper', task: 'SCENARIO=sleep SECS=60', cwd, env: dry.env, model: dry.model });
    await page.goto(`${dash.url}#/workers/sleeper`);
    await page.locator('[data-testid=event][data-type="command.started"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=worker-state][data-state=running]').waitFor();
    await page.getByTestId('tab-transcript').click();
    await expect.poll(() => page.locator('.xterm-rows').innerText(), { timeout: 5000 }).toContain('sleep 60');
    await page.getByTestId('stop').click();
    await page.locator('[data-testid=worker-state][data-state=cancelled]').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.locator('.xterm-rows').innerText(), { timeout: 5000 })
      .toContain('cancelled');
    const ps = baton(['ps', '--json'], { env: { BATON_HOME: home } });
    const row = (JSON.parse(ps.stdout) as { label: string; state: string }[]).find(
      (w) => w.label === 'sleeper',
    );
    expect(row?.state).toBe('cancelled');
    await page.screenshot({ path: path.join(SHOTS, 'ui-worker.png') });
    expect(pageErrors).toEqual([]);
  });

  it('keeps 10,000 events smooth: a virtual list that follows to the end', async () => {
    chmodSync(FLOOD, 0o755);
    process.env['BATON_CODEX_BIN'] = FLOOD;
    try {
      engine.spawn({ label: 'flood', task: 'flood', cwd: home, env: { FLOOD_COMMANDS: '5000' } });
    } finally {
      delete process.env['BATON_CODEX_BIN'];
    }
    await engine.wait(['flood'], { mode: 'all', timeoutMs: 20_000 });
    const total = engine.events('flood').length;
    expect(total).toBeGreaterThan(10_000);
    const started = Date.now();
    await page.goto(`${dash.url}#/workers/flood`);
    await page
      .getByTestId('tab-timeline')
      .filter({ hasText: `Events (${total})` })
      .waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(8000);
    // Only the rows in view exist, and the list sits at the end (it follows new events).
    expect(await page.getByTestId('event').count()).toBeLessThan(150);
    await page.locator('[data-testid=event][data-type="worker.ended"]').waitFor();
    // Browser-side code as text: the tests compile without the DOM library.
    const frames = (await page.evaluate(SCROLL_THROUGH_EVENTS)) as number[];
    // Wall-clock bounds stay loose (CI machines are shared); the row count above is the real check.
    expect(Math.max(...frames)).toBeLessThan(1500);
    expect(pageErrors).toEqual([]);
  });

  it('shows 64 workers fanned out over a queue, live, without long stalls', async () => {
    for (let i = 0; i < 64; i++) {
      engine.spawn({
        label: `fan${i}`,
        backend: 'shell',
        cwd: home,
        runId: 'fan64',
        extraArgs: ['sleep', '1.5'],
        maxParallel: 32,
      });
    }
    await page.goto(`${dash.url}#/runs/fan64`);
    await page.evaluate(WATCH_LONG_TASKS);
    await expect.poll(() => lanes().count(), { timeout: 10_000 }).toBe(64);
    // A cap of 32 keeps the rest queued: running and queued lanes show at once.
    await lanes('queued').first().waitFor({ timeout: 5000 });
    await lanes('running').first().waitFor({ timeout: 5000 });
    await page.screenshot({ path: path.join(SHOTS, 'ui-fan64.png'), fullPage: true });
    await expect.poll(() => lanes('succeeded').count(), { timeout: 30_000 }).toBe(64);
    const longTasks = (await page.evaluate('window.longTasks')) as number[];
    expect(Math.max(0, ...longTasks)).toBeLessThan(2000);
    // Once nothing runs, nothing re-renders: ended lanes stay still.
    const mutations = (await page.evaluate(COUNT_MUTATIONS)) as number;
    expect(mutations).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'ui-fan64-done.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('refuses the browser without the token, or under a foreign host name', async () => {
    const noToken = await page.goto(`http://127.0.0.1:${dash.port}/`);
    expect(noToken?.status()).toBe(403);
    const rebound = await page.goto(`http://rebind.test:${dash.port}/${dash.token}/`);
    expect(rebound?.status()).toBe(403);
    expect(await page.content()).toContain('foreign Host');
    const local = await page.goto(`http://localhost:${dash.port}/${dash.token}/`);
    expect(local?.status()).toBe(200);
  });
});
