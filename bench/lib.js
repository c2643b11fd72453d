// Shared helpers for the benchmarks: timing, interleaving, statistics, tables, /proc readers.
import { Buffer } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BATON_BIN = path.join(ROOT, 'bin', 'baton.js');

/** The built library; benchmarks measure dist/, so a stale build measures old code. */
export async function loadBaton() {
  const entry = path.join(ROOT, 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  return import(entry);
}

/** Repetitions per contender: BENCH_REPS overrides the bench's default. */
export function repsOr(fallback) {
  const n = Number.parseInt(process.env.BENCH_REPS ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function tempDir(prefix) {
  return mkdtempSync(path.join(os.tmpdir(), `baton-bench-${prefix}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** Live processes (other than this one) whose command line or environment mentions `text`. */
export function processesMentioning(text) {
  const needle = Buffer.from(text);
  const found = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const st = procStat(pid);
      if (!st || st.state === 'Z') continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`);
      if (cmdline.includes(needle) || readFileSync(`/proc/${pid}/environ`).includes(needle)) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * Waits until no process refers to a state dir any more (worker wrappers name it in their argv,
 * `baton _dispatch` in BATON_HOME), so one rep's leftovers neither load the next rep nor write
 * into a folder being deleted. Returns how many were still alive at first look.
 */
export async function quiesce(home, timeoutMs = 60_000) {
  const stragglers = processesMentioning(home).length;
  const deadline = Date.now() + timeoutMs;
  while (processesMentioning(home).length > 0) {
    if (Date.now() > deadline) throw new Error(`processes still use ${home} after ${timeoutMs} ms`);
    await sleep(50);
  }
  return stragglers;
}

/** True when `name` is on PATH. */
export function hasCommand(name) {
  return spawnSync('/bin/sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

const SAFE = /^[A-Za-z0-9._@%+=:,/-]+$/;

/** One POSIX-shell word that stands for exactly `word`. */
export function shQuote(word) {
  return SAFE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs `script` with /bin/sh (asynchronously, so an in-process server keeps answering) and
 * resolves with its wall time in ms; rejects on a non-zero exit.
 */
export function timeShell(script, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/bin/sh', ['-c', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`\`${script}\` exited ${code}: ${stderr.slice(-500)}`));
    });
  });
}

/** Wall time of an async function in ms. */
export async function timeIt(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Runs every contender once per rep, rotating the order each rep so no contender always goes
 * first (or last) on a shared machine. Returns ms per contender name, in rep order.
 */
export async function interleaved(reps, contenders, onRep = () => undefined) {
  const times = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    const shift = rep % contenders.length;
    const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
    for (const c of order) times[c.name].push(await c.run());
    onRep(rep, times);
  }
  return times;
}

/** An `onRep` callback for `interleaved` that logs each rep's times. */
export function repLogger(log) {
  return (rep, times) =>
    log(
      `  rep ${rep + 1}: ${Object.entries(times)
        .map(([name, ms]) => `${name} ${fmt(ms[rep])} ms`)
        .join(', ')}`,
    );
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function stats(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** A number with `digits` decimals, or a dash for missing values. */
export function fmt(n, digits = 0) {
  return n === undefined || n === null || Number.isNaN(n) ? '–' : n.toFixed(digits);
}

export function range(s, digits = 0) {
  return `${fmt(s.min, digits)}–${fmt(s.max, digits)}`;
}

/** A GitHub-markdown table with padded columns. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** Parent pid and command name of a process, or null once it is gone. */
export function procStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), state: fields[0], ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/** Every live process's children, by parent pid. */
export function childrenByParent() {
  const map = new Map();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const st = procStat(pid);
    if (!st || st.state === 'Z') continue;
    const list = map.get(st.ppid) ?? [];
    list.push({ pid, comm: st.comm });
    map.set(st.ppid, list);
  }
  return map;
}

/** Rss and Pss of a process in kB, from /proc/PID/smaps_rollup. */
export function memoryOf(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKb: kb('Rss'), pssKb: kb('Pss') };
}

/** Number of inotify watches a process holds (how many worker folders `baton wait` watches). */
export function inotifyWatches(pid) {
  let count = 0;
  let fds = [];
  try {
    fds = readdirSync(`/proc/${pid}/fdinfo`);
  } catch {
    return 0;
  }
  for (const fd of fds) {
    try {
      const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
      count += info.split('\n').filter((l) => l.startsWith('inotify wd:')).length;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

/** The commit measured, flagged when the working tree (src/ included) had uncommitted changes. */
export function gitState() {
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'unknown commit';
  const dirty = git('status', '--porcelain', '--', 'src', 'bin', 'package.json').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' + uncommitted changes in src/' : ''}`;
}

/** One-line description of this machine for the results header. */
export function machine() {
  const cpus = os.cpus();
  const [l1, l5] = os.loadavg();
  return (
    `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}, ` +
    `load average ${l1.toFixed(2)} / ${l5.toFixed(2)} at start`
  );
}
