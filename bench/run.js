// Entry point: `node bench/run.js [fanout|codex|memory|all]` (npm run bench = all).
// Prints markdown; a full run (`all`) also replaces the results section of bench/README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCodex } from './codex.js';
import { benchFanout } from './fanout.js';
import { benchMemory } from './memory.js';
import { ROOT, gitState, machine, table } from './lib.js';

const BENCHES = { fanout: benchFanout, codex: benchCodex, memory: benchMemory };
const README = path.join(ROOT, 'bench', 'README.md');
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

function usage() {
  console.error(`usage: node bench/run.js [${Object.keys(BENCHES).join('|')}|all]`);
  process.exit(2);
}

function log(line) {
  console.error(line);
}

function writeReadme(results) {
  let text;
  try {
    text = readFileSync(README, 'utf8');
  } catch {
    log(`${README} is missing; results were only printed`);
    return;
  }
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) {
    log(`${README} has no ${START} … ${END} section; results were only printed`);
    return;
  }
  writeFileSync(README, `${text.slice(0, from + START.length)}\n\n${results}\n\n${text.slice(to)}`);
  log(`wrote the results into ${path.relative(process.cwd(), README)}`);
}

async function main() {
  const which = process.argv[2] ?? 'all';
  if (which !== 'all' && !(which in BENCHES)) usage();
  const names = which === 'all' ? Object.keys(BENCHES) : [which];
  const header = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`node bench/run.js ${which}\`` +
      (process.env.BENCH_REPS ? ` (BENCH_REPS=${process.env.BENCH_REPS})` : '') +
      '.',
    '',
    `Code: ${gitState()} (dist/ as built from it). Machine: ${machine()}.`,
  ].join('\n');
  const sections = [];
  const summary = [];
  for (const name of names) {
    const result = await BENCHES[name](log);
    sections.push(result.markdown);
    summary.push(...result.summary);
  }
  const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'met' : '**missed**');
  const targets = table(
    ['target', 'measured', 'goal', 'result'],
    summary.map((s) => [s.metric, s.measured, s.target, verdict(s.ok)]),
  );
  const [l1, l5] = os.loadavg();
  const load = `Load average at the end: ${l1.toFixed(2)} / ${l5.toFixed(2)} (1 / 5 min).`;
  const results = [header, `### Targets\n\n${targets}`, ...sections, load].join('\n\n');
  console.log(results);
  if (which === 'all') writeReadme(results);
}

await main();
