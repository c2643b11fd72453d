// Memory: what baton's own processes cost while 64 workers run (the workers' commands excluded).
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BATON_BIN,
  childrenByParent,
  fmt,
  inotifyWatches,
  loadBaton,
  memoryOf,
  median,
  quiesce,
  removeDir,
  repsOr,
  table,
  tempDir,
} from './lib.js';

const WORKERS = 64;
const TARGET_MB = 100;
// A time limit makes the wrapper start `timeout`, as every codex worker's does (default 30 min);
// maxParallel lifts the shell backend's default cap of 16 so all of them run at once.
const SPAWN = { backend: 'shell', extraArgs: ['sleep', '30'], timeoutMs: 120_000, maxParallel: WORKERS };

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`memory bench: timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * baton's processes per worker: the wrapper `sh` (the recorded pid) and the coreutils `timeout`
 * it starts when the worker has a time limit. Everything below them is the worker's command.
 */
function batonHelpers(wrapperPids) {
  const kids = childrenByParent();
  const helpers = [];
  for (const pid of wrapperPids) {
    for (const child of kids.get(pid) ?? []) if (child.comm === 'timeout') helpers.push(child.pid);
  }
  return helpers;
}

function sum(pids) {
  let rssKb = 0;
  let pssKb = 0;
  for (const pid of pids) {
    const m = memoryOf(pid);
    rssKb += m.rssKb;
    pssKb += m.pssKb;
  }
  return { count: pids.length, rssMb: rssKb / 1024, pssMb: pssKb / 1024 };
}

async function measureOnce(baton, log) {
  const home = tempDir('memory');
  const engine = new baton.Engine({ home });
  let cli;
  const labels = [];
  try {
    for (let i = 0; i < WORKERS; i++) {
      labels.push(engine.spawn({ ...SPAWN, cwd: home }).label);
    }
    const wrappers = engine.list().map((w) => w.pid);
    await until('every wrapper to start timeout', () => batonHelpers(wrappers).length === WORKERS, 15_000);

    cli = spawn(process.execPath, [BATON_BIN, 'wait', '--all'], {
      env: { ...process.env, BATON_HOME: home },
      stdio: 'ignore',
    });
    const cliPid = cli.pid;
    await until('`baton wait --all` to watch every worker', () => inotifyWatches(cliPid) >= WORKERS, 20_000);
    await sleep(1000); // let it settle into its wait loop

    const running = engine.list().filter((w) => w.state === 'running').length;
    if (running !== WORKERS) throw new Error(`memory bench: only ${running} of ${WORKERS} workers running`);
    const groups = {
      wrappers: sum(wrappers),
      timeouts: sum(batonHelpers(wrappers)),
      cli: sum([cliPid]),
    };
    const host = sum([process.pid]);
    log(
      `  wrappers ${fmt(groups.wrappers.pssMb, 1)} MB, timeout ${fmt(groups.timeouts.pssMb, 1)} MB, ` +
        `baton wait ${fmt(groups.cli.pssMb, 1)} MB PSS`,
    );

    const exited = new Promise((resolve) => cli.on('exit', resolve));
    await engine.stop(labels, { graceMs: 1000 });
    await Promise.race([exited, sleep(15_000)]);
    const left = engine.list().filter((w) => !baton.isEnded(w.state)).length;
    if (left > 0) throw new Error(`memory bench: ${left} workers still running after engine.stop`);
    return { groups, host };
  } finally {
    if (cli && cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    await engine.stop(labels, { graceMs: 500 }); // no-op unless a check above failed
    engine.close();
    await quiesce(home);
    removeDir(home);
  }
}

export async function benchMemory(log) {
  const baton = await loadBaton();
  const reps = repsOr(3);
  log(`memory: ${reps} reps of ${WORKERS} running workers (sleep 30) + baton wait --all`);
  const runs = [];
  for (let i = 0; i < reps; i++) runs.push(await measureOnce(baton, log));

  const med = (pick) => median(runs.map(pick));
  const row = (name, key) => [
    name,
    String(runs[0].groups[key].count),
    fmt(
      med((r) => r.groups[key].rssMb),
      1,
    ),
    fmt(
      med((r) => r.groups[key].pssMb),
      1,
    ),
  ];
  const totalRss = med((r) => Object.values(r.groups).reduce((a, g) => a + g.rssMb, 0));
  const totalPss = med((r) => Object.values(r.groups).reduce((a, g) => a + g.pssMb, 0));
  const markdown = [
    `### Memory: baton's processes while ${WORKERS} workers run (median of ${reps} reps)`,
    '',
    table(
      ['processes', 'count', 'RSS MB', 'PSS MB'],
      [
        row('worker wrappers (`sh`, the recorded pid)', 'wrappers'),
        row('`timeout` under each wrapper', 'timeouts'),
        row('`baton wait --all` (node bin/baton.js)', 'cli'),
        ['**total**', String(2 * WORKERS + 1), `**${fmt(totalRss, 1)}**`, `**${fmt(totalPss, 1)}**`],
      ],
    ),
    '',
    `Workers: \`engine.spawn(${JSON.stringify(SPAWN)})\` x${WORKERS} ` +
      '(the time limit adds the `timeout` process every codex worker has). RSS and PSS from ' +
      '`/proc/PID/smaps_rollup`; the `sleep` commands themselves are the workers, not baton, and are excluded. ' +
      'RSS counts shared pages (the `sh` binary, libc, Node) once per process, so its sum overstates; PSS ' +
      'splits them. Kernel memory (page tables, task structs) is not included.',
    '',
    `Not counted: the Node process that hosts the Engine for this benchmark (RSS ${fmt(
      med((r) => r.host.rssMb),
      1,
    )} MB, ` +
      `PSS ${fmt(
        med((r) => r.host.pssMb),
        1,
      )} MB); with the CLI, \`baton spawn\` exits right after launching.`,
  ].join('\n');
  const summary = [
    {
      metric: `baton's own memory, ${WORKERS} running workers`,
      measured: `${fmt(totalPss, 1)} MB PSS (${fmt(totalRss, 1)} MB RSS)`,
      target: `<= ${TARGET_MB} MB`,
      ok: totalPss <= TARGET_MB,
    },
  ];
  return { markdown, summary };
}
