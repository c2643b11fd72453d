// Fan-out: many trivial shell workers, 16 at a time, through the engine vs xargs and GNU parallel.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import {
  fmt,
  hasCommand,
  interleaved,
  loadBaton,
  median,
  quiesce,
  range,
  removeDir,
  repLogger,
  repsOr,
  stats,
  table,
  tempDir,
  timeShell,
} from './lib.js';

const CONCURRENCY = 16;

/**
 * The engine as a library user drives it: keep `concurrency` workers in flight, wait for any to
 * end, top up. Returns every worker's end record.
 */
export async function enginePool(baton, engine, { jobs, concurrency, input }) {
  const inflight = new Set();
  const ended = [];
  let next = 0;
  while (next < jobs || inflight.size > 0) {
    while (next < jobs && inflight.size < concurrency) {
      inflight.add(engine.spawn(input(next)).label);
      next += 1;
    }
    const { workers } = await engine.wait([...inflight], { mode: 'any' });
    for (const w of workers) {
      if (!baton.isEnded(w.state)) continue;
      inflight.delete(w.label);
      ended.push(w);
    }
  }
  return ended;
}

/**
 * baton's own queue: spawn every job at once (maxParallel 16) and wait for all; queued workers
 * start when the waiting engine (or an exiting worker's `baton _dispatch`) moves the queue on.
 */
async function queueAll(_baton, engine, { jobs, input }) {
  const labels = [];
  for (let i = 0; i < jobs; i++) labels.push(engine.spawn(input(i)).label);
  const { workers } = await engine.wait(labels, { mode: 'all' });
  return workers;
}

/**
 * Wall ms of one engine fan-out in a fresh BATON_HOME (Engine creation and DB setup included).
 * Afterwards it waits, untimed, until no process uses the state dir any more and pushes how many
 * were still alive when the last worker had ended (e.g. `baton _dispatch` runs) to `leftovers`.
 */
async function timeEngine(baton, jobs, argv, { labelled = false, queue = false, leftovers = [] } = {}) {
  const home = tempDir('fanout');
  try {
    const t0 = performance.now();
    const engine = new baton.Engine({ home });
    const input = (i) => ({
      backend: 'shell',
      extraArgs: argv,
      cwd: home,
      maxParallel: CONCURRENCY,
      ...(labelled ? { label: `J${i + 1}` } : {}),
    });
    const run = queue ? queueAll : enginePool;
    const ended = await run(baton, engine, { jobs, concurrency: CONCURRENCY, input });
    const ms = performance.now() - t0;
    engine.close();
    leftovers.push(await quiesce(home));
    const bad = ended.filter((w) => w.state !== 'succeeded');
    if (ended.length !== jobs || bad.length > 0) {
      throw new Error(`engine fan-out: ${ended.length}/${jobs} ended, ${bad.length} not succeeded`);
    }
    return ms;
  } finally {
    removeDir(home);
  }
}

/** Reference only: a bare Node promise pool over child_process.spawn, no baton at all. */
function timeSpawnPool(jobs, argv) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let started = 0;
    let running = 0;
    let finished = 0;
    const launch = () => {
      while (running < CONCURRENCY && started < jobs) {
        started += 1;
        running += 1;
        const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', (code) => {
          running -= 1;
          finished += 1;
          if (code !== 0) reject(new Error(`${argv.join(' ')} exited ${code}`));
          else if (finished === jobs) resolve(performance.now() - t0);
          else launch();
        });
      }
    };
    launch();
  });
}

function contenders(baton, jobs, argv, { parallel, extra, leftovers }) {
  const cmd = argv.join(' ');
  const engineRun = (name, opts) => {
    leftovers[name] = [];
    return { name, run: () => timeEngine(baton, jobs, argv, { ...opts, leftovers: leftovers[name] }) };
  };
  const list = [
    engineRun('baton engine', {}),
    engineRun('baton queue', { queue: true }),
    ...(extra
      ? [
          engineRun('baton engine, explicit labels', { labelled: true }),
          { name: 'Node spawn pool (no baton)', run: () => timeSpawnPool(jobs, argv) },
        ]
      : []),
    { name: 'xargs -P16', run: () => timeShell(`seq ${jobs} | xargs -P${CONCURRENCY} -I{} ${cmd}`) },
  ];
  if (parallel) {
    list.push({
      name: 'GNU parallel -j16',
      run: () => timeShell(`seq ${jobs} | parallel --will-cite -j${CONCURRENCY} -N0 ${cmd}`),
    });
  }
  return list;
}

const COMMANDS = {
  'baton engine':
    'a pool keeping 16 in flight: engine.spawn({backend: "shell", extraArgs: ARGV, maxParallel: 16}), ' +
    'then engine.wait(inflight, {mode: "any"})',
  'baton queue':
    'baton queues: engine.spawn({..., maxParallel: 16}) x N at once, then engine.wait(all, {mode: "all"})',
  'baton engine, explicit labels': 'the pool, with label: "J<i>" (no automatic W<n> label)',
  'Node spawn pool (no baton)': 'child_process.spawn(ARGV, {stdio: "ignore"}) promise pool',
  'xargs -P16': 'seq N | xargs -P16 -I{} ARGV',
  'GNU parallel -j16': 'seq N | parallel --will-cite -j16 -N0 ARGV',
};

export async function benchFanout(log) {
  const baton = await loadBaton();
  const parallel = hasCommand('parallel');
  const notes = [];
  if (!parallel) {
    notes.push(
      'GNU parallel is not installed, so its rows are missing: `apt-get update && apt-get install -y parallel` ' +
        '(Debian/Ubuntu) or `brew install parallel`.',
    );
  }
  const summary = [];

  // 1. Trivial jobs: the cost of starting and reaping one worker.
  const jobs = 256;
  const reps = repsOr(5);
  const trueLeft = {};
  const trueSet = contenders(baton, jobs, ['true'], { parallel, extra: true, leftovers: trueLeft });
  log(`fanout: warm-up, then ${reps} interleaved reps of ${jobs} x true`);
  await interleaved(1, trueSet);
  const times = await interleaved(reps, trueSet, repLogger(log));
  const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
  const perJob = (name) => s[name].median / jobs;
  const vs = (name, peer) => (s[peer] ? fmt(s[name].median / s[peer].median, 2) : '–');
  // The warm-up rep's leftovers are dropped with its times.
  const left = (by, name, n) => (by[name] ? fmt(median(by[name].slice(-n))) : '–');
  const trueRows = trueSet.map(({ name }) => [
    name,
    fmt(s[name].median),
    range(s[name]),
    fmt(perJob(name), 2),
    vs(name, 'xargs -P16'),
    vs(name, 'GNU parallel -j16'),
    left(trueLeft, name, reps),
  ]);
  summary.push({
    metric: `fan-out ${jobs} x true, c=16: baton per-job ms`,
    measured: `pool ${fmt(perJob('baton engine'), 2)} ms, queue ${fmt(perJob('baton queue'), 2)} ms`,
    target: parallel
      ? `<= GNU parallel ${fmt(perJob('GNU parallel -j16'), 2)} ms`
      : '<= GNU parallel (not installed)',
    ok: parallel ? perJob('baton engine') <= perJob('GNU parallel -j16') : null,
  });

  // 2. Real (sleeping) jobs: scheduling overhead against the ideal ceil(N/16) seconds.
  const sleepJobs = 64;
  const ideal = Math.ceil(sleepJobs / CONCURRENCY) * 1000;
  const sleepReps = repsOr(3);
  const sleepLeft = {};
  const sleepSet = contenders(baton, sleepJobs, ['sleep', '1'], {
    parallel,
    extra: false,
    leftovers: sleepLeft,
  });
  log(`fanout: ${sleepReps} interleaved reps of ${sleepJobs} x sleep 1`);
  const sleepTimes = await interleaved(sleepReps, sleepSet, repLogger(log));
  const sleepRows = sleepSet.map(({ name }) => {
    const st = stats(sleepTimes[name]);
    return [
      name,
      fmt(st.median),
      range(st),
      `+${fmt(st.median - ideal)}`,
      `+${fmt((st.median / ideal - 1) * 100, 1)} %`,
      left(sleepLeft, name, sleepReps),
    ];
  });

  const markdown = [
    `### Fan-out: ${jobs} x \`true\`, ${CONCURRENCY} at a time (median of ${reps} interleaved reps)`,
    '',
    table(
      ['runner', 'wall ms', 'min–max', 'per job ms', 'x xargs', 'x parallel', 'leftover procs'],
      trueRows,
    ),
    '',
    `### Fan-out: ${sleepJobs} x \`sleep 1\`, ${CONCURRENCY} at a time (ideal ${ideal} ms, median of ${sleepReps} reps)`,
    '',
    table(['runner', 'wall ms', 'min–max', 'over ideal ms', 'over ideal', 'leftover procs'], sleepRows),
    '',
    'Runners (ARGV = `true` or `sleep 1`):',
    '',
    ...trueSet.map(({ name }) => `- ${name}: \`${COMMANDS[name]}\``),
    '',
    'Engine times are in-process (Node start-up and module loading excluded; Engine creation, DB setup and ' +
      'reaping included). xargs and parallel times include their own process start-up (for parallel that ' +
      'includes starting perl). ' +
      '"leftover procs": processes still using the run\'s state dir when the last worker had ended (worker ' +
      'wrappers finishing up, `baton _dispatch` runs); the next rep starts only after they are gone, untimed.',
    ...notes.map((n) => `\n${n}`),
  ].join('\n');
  return { markdown, summary };
}
