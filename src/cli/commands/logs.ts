import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { WORKER_FILES, boundText, describeEvent, isEnded, type Engine } from '../../index.js';
import { positiveInt } from '../options.js';
import { readFrom } from '../../workers/files.js';

interface LogsOptions {
  events?: boolean;
  follow?: boolean;
  stderr?: boolean;
  maxOutputTokens?: number;
  attempt?: number;
  json?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function followEvents(e: Engine, label: string, json: boolean): Promise<void> {
  let after = 0;
  for (;;) {
    const ended = isEnded(e.get(label).state);
    for (const stored of e.events(label, after)) {
      after = stored.id;
      const at = new Date(stored.at).toISOString().slice(11, 19);
      process.stdout.write(json ? `${JSON.stringify(stored)}\n` : `${at} ${describeEvent(stored.event)}\n`);
    }
    if (ended) return;
    await sleep(200);
  }
}

async function followFile(e: Engine, label: string, file: string): Promise<void> {
  let offset = 0;
  for (;;) {
    const ended = isEnded(e.get(label).state);
    for (;;) {
      const { data } = readFrom(file, offset, 1 << 20);
      if (data.length === 0) break;
      process.stdout.write(data);
      offset += data.length;
    }
    if (ended) return;
    await sleep(200);
  }
}

/** `baton logs`: the full transcript, or the normalized events, on demand. */
export function registerLogs(program: Command, engine: () => Engine): void {
  program
    .command('logs')
    .summary("show a worker's full transcript or its normalized events")
    .description(
      "Show a worker's full output (stdout, then stderr) or, with --events, its normalized events\n" +
        '(commands with exit codes, file changes, messages, errors). Use result for the final message only.',
    )
    .argument('<label>', 'the worker')
    .option('-e, --events', 'normalized events, one per line')
    .option('-f, --follow', 'keep printing until the worker ends')
    .option('--stderr', 'only stderr')
    .option(
      '--max-output-tokens <n>',
      'show only the last n tokens or so',
      positiveInt('--max-output-tokens'),
    )
    .option('-a, --attempt <n>', 'an earlier attempt (default: the latest)', positiveInt('--attempt'))
    .option('--json', 'with --events: one JSON event per line')
    .action(async (label: string, opts: LogsOptions) => {
      const e = engine();
      const w = e.get(label, opts.attempt);
      const dir = e.home.workerDir(w.label);
      label = w.label;
      const stdoutFile = path.join(dir, opts.stderr ? WORKER_FILES.stderr : WORKER_FILES.stdout);
      if (opts.events) {
        if (opts.follow) return followEvents(e, label, opts.json ?? false);
        const lines = e
          .events(label)
          .map((s) =>
            opts.json
              ? JSON.stringify(s)
              : `${new Date(s.at).toISOString().slice(11, 19)} ${describeEvent(s.event)}`,
          );
        const text = lines.join('\n');
        const shown = opts.maxOutputTokens ? boundText(text, opts.maxOutputTokens, 'tail').text : text;
        if (shown) process.stdout.write(`${shown}\n`);
        return;
      }
      if (opts.follow) return followFile(e, label, stdoutFile);
      let text = readText(stdoutFile);
      const err = opts.stderr ? '' : readText(path.join(dir, WORKER_FILES.stderr));
      if (err.trim()) text += `${text.endsWith('\n') || !text ? '' : '\n'}── stderr ──\n${err}`;
      if (opts.maxOutputTokens) {
        const b = boundText(text, opts.maxOutputTokens, 'tail');
        text = b.truncated ? `[… ${b.omittedChars} earlier characters left out]\n${b.text}` : b.text;
      }
      process.stdout.write(text);
    });
}
