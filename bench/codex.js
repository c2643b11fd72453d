// Codex: 16 real `codex exec` workers, one tool call each, against the scripted fake model;
// baton's engine vs xargs -P16 running the very same codex command lines.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  fmt,
  interleaved,
  loadBaton,
  median,
  quiesce,
  range,
  removeDir,
  repLogger,
  repsOr,
  shQuote,
  stats,
  table,
  tempDir,
  timeShell,
} from './lib.js';

const WORKERS = 16;
const TASK = "SCENARIO=exec CMD='echo hi'";

function slotDirs(root, name) {
  return Array.from({ length: WORKERS }, (_, i) => {
    const dir = path.join(root, name, `w${String(i + 1).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  });
}

/** One engine run in a fresh BATON_HOME: spawn all 16, wait for all. Returns ms and the records. */
async function runEngine(baton, root, rep, dry, cwds) {
  const home = path.join(root, `home-${rep}`);
  const t0 = performance.now();
  const engine = new baton.Engine({ home });
  const labels = cwds.map(
    (cwd) =>
      engine.spawn({
        task: TASK,
        cwd,
        env: dry.env,
        model: dry.model,
        role: 'implementer',
        timeoutMs: 120_000,
        maxParallel: WORKERS,
      }).label,
  );
  const { satisfied, workers } = await engine.wait(labels, { mode: 'all', timeoutMs: 120_000 });
  const ms = performance.now() - t0;
  engine.close();
  const bad = workers.filter((w) => w.state !== 'succeeded');
  if (!satisfied || bad.length > 0) {
    const why = bad.map((w) => `${w.label} ${w.state}: ${w.reason}`).join('; ');
    throw new Error(`codex via engine: ${bad.length} of ${WORKERS} did not succeed: ${why}`);
  }
  return { ms, workers, home };
}

/**
 * The peer's job scripts: each runs the argv the engine ran (with its own cwd swapped in), stdin
 * from /dev/null and output to files, exactly as the worker wrapper does minus `timeout` and the
 * exit-status file.
 */
function writeJobs(root, workers, cwds) {
  const jobs = path.join(root, 'xargs-jobs');
  const out = path.join(root, 'xargs-out');
  mkdirSync(jobs, { recursive: true });
  mkdirSync(out, { recursive: true });
  const outputs = workers.map((w, i) => {
    const argv = [...w.argv];
    const at = argv.indexOf('-C');
    if (at < 0 || argv[at + 1] !== w.cwd) throw new Error(`unexpected codex argv: ${JSON.stringify(argv)}`);
    argv[at + 1] = cwds[i];
    const name = `j${String(i + 1).padStart(2, '0')}`;
    const file = path.join(out, name);
    const script = [
      `cd ${shQuote(cwds[i])} || exit 1`,
      `exec ${argv.map(shQuote).join(' ')} </dev/null >${shQuote(`${file}.out`)} 2>${shQuote(`${file}.err`)}`,
      '',
    ].join('\n');
    writeFileSync(path.join(jobs, `${name}.sh`), script);
    return file;
  });
  return { command: `ls ${shQuote(jobs)}/*.sh | xargs -P${WORKERS} -n1 sh`, outputs };
}

/** The environment the engine gave codex: ours, the dry-run vars, and codex's helper tools on PATH. */
function codexEnv(dry, bin) {
  const helpers = path.join(path.dirname(path.dirname(bin)), 'codex-path');
  const env = { ...process.env, ...dry.env };
  if (existsSync(helpers)) env.PATH = `${helpers}${path.delimiter}${env.PATH ?? ''}`;
  return env;
}

function checkOutputs(outputs) {
  for (const file of outputs) {
    const text = readFileSync(`${file}.out`, 'utf8');
    if (!text.includes('"type":"turn.completed"') || !text.includes('FINAL exec:')) {
      throw new Error(`xargs codex job ${file} did not complete its turn: ${text.slice(-300)}`);
    }
  }
}

/** The argv for the README: the cwd and the (long, multi-line) role prompt as variables. */
function shownArgv(argv, cwd) {
  const dash = argv.indexOf('--');
  const head = argv.slice(0, dash).map((a) => (a === cwd ? '"$CWD"' : shQuote(a)));
  return [...head, '--', '"$PROMPT"'].join(' ');
}

export async function benchCodex(log) {
  const baton = await loadBaton();
  const root = tempDir('codex');
  const dry = await baton.startDryRun(path.join(root, 'dry'));
  try {
    const batonCwds = slotDirs(root, 'baton-cwd');
    const xargsCwds = slotDirs(root, 'xargs-cwd');
    log('codex: warm-up engine run (records the argv the peer replays)');
    let first;
    try {
      first = await runEngine(baton, root, 0, dry, batonCwds);
      await quiesce(first.home);
    } catch (err) {
      if (err?.code !== 'BACKEND_UNAVAILABLE') throw err;
      const markdown = `### Codex\n\nSkipped: ${err.message}`;
      return { markdown, summary: [] };
    }
    const argv = first.workers[0].argv;
    const peer = writeJobs(root, first.workers, xargsCwds);
    const env = codexEnv(dry, argv[0]);
    await timeShell(peer.command, { env });
    checkOutputs(peer.outputs);

    const reps = repsOr(5);
    log(`codex: ${reps} interleaved reps of ${WORKERS} workers`);
    let rep = 0;
    const cpu = { 'baton engine': [], 'xargs -P16': [] };
    const withCpu = async (name, fn) => {
      const before = process.cpuUsage();
      const ms = await fn();
      const used = process.cpuUsage(before);
      cpu[name].push((used.user + used.system) / 1000);
      return ms;
    };
    const times = await interleaved(
      reps,
      [
        {
          name: 'baton engine',
          run: () =>
            withCpu('baton engine', async () => {
              rep += 1;
              const r = await runEngine(baton, root, rep, dry, batonCwds);
              await quiesce(r.home);
              removeDir(r.home);
              return r.ms;
            }),
        },
        {
          name: 'xargs -P16',
          run: () =>
            withCpu('xargs -P16', async () => {
              const ms = await timeShell(peer.command, { env });
              checkOutputs(peer.outputs);
              return ms;
            }),
        },
      ],
      repLogger(log),
    );
    const b = stats(times['baton engine']);
    const x = stats(times['xargs -P16']);
    const ratio = b.median / x.median;
    const paired = median(times['baton engine'].map((ms, i) => ms / times['xargs -P16'][i]));
    const markdown = [
      `### Codex: ${WORKERS} real \`codex exec\` workers, one tool call each, fake model (median of ${reps} interleaved reps)`,
      '',
      table(
        ['runner', 'wall ms', 'min–max', 'x xargs', 'host CPU ms'],
        [
          ['baton engine', fmt(b.median), range(b), fmt(ratio, 3), fmt(median(cpu['baton engine']))],
          ['xargs -P16', fmt(x.median), range(x), '1.000', fmt(median(cpu['xargs -P16']))],
        ],
      ),
      '',
      `Median of the per-rep ratios (baton/xargs in the same rep): ${fmt(paired, 3)}. Host CPU ms: ` +
        "user+system CPU of the benchmark's Node process during the run (the fake model server always; " +
        'for baton also the Engine spawning and waiting), from `process.cpuUsage()`.',
      '',
      `Task \`${TASK}\`, role implementer (\`-s workspace-write\`), each worker in its own cwd, one in-process`,
      '`startDryRun` server for both runners. baton: `engine.spawn` x16 then `engine.wait(all)`, in-process,',
      'fresh BATON_HOME per rep. xargs: `' + peer.command.replace(root, '$TMP') + '`, one script per worker:',
      '',
      '```sh',
      `cd "$CWD" && exec ${shownArgv(argv, first.workers[0].cwd)} \\`,
      '  </dev/null >"$OUT.out" 2>"$OUT.err"',
      '```',
      '',
      "The argv is the engine's own (`engine.get(label).argv`; `$PROMPT` is the role prompt ending in the task), " +
        'the environment is the same (CODEX_HOME and key from `dry.env`, codex helper dir on PATH). baton also ' +
        'runs each worker under its `sh` wrapper and `timeout` (120 s here; 30 min by default).',
    ].join('\n');
    const summary = [
      {
        metric: `${WORKERS} codex workers: baton wall / xargs wall`,
        measured: `${fmt(ratio, 3)} (paired ${fmt(paired, 3)})`,
        target: '<= 1.05',
        ok: ratio <= 1.05,
      },
    ];
    return { markdown, summary };
  } finally {
    await dry.close();
    removeDir(root);
  }
}
