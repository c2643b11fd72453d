import { closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BatonError, badInput } from '../errors.js';
import { isEnded } from '../events.js';
import type { Engine } from '../workers/engine.js';
import { WORKER_FILES, readFrom } from '../workers/files.js';
import { findTreeByCookie, signalAll } from '../workers/proc.js';
import type { WorkerRecord } from '../store/workers.js';
import { boundMiddle } from '../util/bounded-middle.js';

/** What `exec` and `write` return: Codex's exec_command / write_stdin reply, as data. */
export interface TerminalReply {
  /** Set while the command still runs: pass it to `write` to poll or type. */
  sessionId: string | null;
  exitCode: number | null;
  state: string;
  output: string;
  /** Characters of output dropped from the middle to respect max_output_tokens. */
  omittedChars: number;
  wallTimeMs: number;
}

export interface ExecOptions {
  /** One string = a shell command line (sh -c); several = argv, run as is. */
  command: string[];
  cwd?: string;
  tty?: boolean;
  yieldMs?: number;
  maxOutputTokens?: number;
  timeoutMs?: number;
  label?: string;
}

export const DEFAULT_EXEC_YIELD_MS = 10_000;
export const DEFAULT_WRITE_YIELD_MS = 250;
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

/** Reads the session's output that nobody has seen yet, and marks it seen. */
function takeOutput(engine: Engine, w: WorkerRecord, maxTokens: number): { text: string; omitted: number } {
  const file = path.join(engine.home.workerDir(w.label), WORKER_FILES.stdout);
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // nothing written yet
  }
  const budget = maxTokens * 4;
  // Read at most twice the budget from the unseen part: head and tail survive, the middle is dropped.
  const unseen = size - w.readOffset;
  const head = readFrom(file, w.readOffset, Math.min(unseen, budget)).data.toString('utf8');
  const tailStart = Math.max(w.readOffset + budget, size - budget);
  const tail = tailStart < size ? readFrom(file, tailStart, size - tailStart).data.toString('utf8') : '';
  const skipped = Math.max(0, tailStart - (w.readOffset + budget));
  engine.setReadOffset(w.label, size);
  const bounded = boundMiddle(head + (skipped > 0 ? `\n[… ${skipped} bytes …]\n` : '') + tail, maxTokens);
  return { text: bounded.text, omitted: bounded.omittedChars + skipped };
}

function reply(engine: Engine, label: string, started: number, maxTokens: number): TerminalReply {
  const w = engine.get(label);
  const out = takeOutput(engine, w, maxTokens);
  const ended = isEnded(w.state);
  return {
    sessionId: ended ? null : w.label,
    exitCode: ended ? w.exitCode : null,
    state: w.state,
    output: out.text,
    omittedChars: out.omitted,
    wallTimeMs: Date.now() - started,
  };
}

/**
 * Runs a command as a background terminal session: returns its output if it ends within the
 * yield, else its session id and the output so far. The session outlives the caller.
 */
export async function execCommand(engine: Engine, opts: ExecOptions): Promise<TerminalReply> {
  if (opts.command.length === 0)
    throw badInput('exec: give a command after "--", e.g. baton exec -- npm test');
  const started = Date.now();
  const argv = opts.command.length === 1 && !opts.tty ? ['sh', '-c', opts.command[0] ?? ''] : opts.command;
  const w = engine.spawn({
    label: opts.label ?? engine.nextLabel('S'),
    backend: 'shell',
    cwd: opts.cwd,
    extraArgs: argv,
    io: opts.tty ? 'tty' : 'pipe',
    timeoutMs: opts.timeoutMs,
  });
  await engine.wait([w.label], { mode: 'all', timeoutMs: opts.yieldMs ?? DEFAULT_EXEC_YIELD_MS });
  return reply(engine, w.label, started, opts.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
}

export interface WriteOptions {
  sessionId: string;
  chars?: string;
  ctrlC?: boolean;
  yieldMs?: number;
  maxOutputTokens?: number;
}

function typeInto(fifo: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    throw new BatonError('NOT_FOUND', 'the session no longer reads input (it has ended)');
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Types into a session (or just polls, with no chars) and returns the output produced since the
 * last read, waiting up to the yield or until the session ends.
 */
export async function writeStdin(engine: Engine, opts: WriteOptions): Promise<TerminalReply> {
  const started = Date.now();
  const w = engine.get(opts.sessionId);
  if (w.io === 'none') {
    throw badInput(`write: ${w.label} is a worker, not a terminal session; sessions come from baton exec`);
  }
  const dir = engine.home.workerDir(w.label);
  if (!isEnded(w.state)) {
    if (opts.chars) typeInto(path.join(dir, 'stdin'), opts.chars);
    // A terminal turns Ctrl+C into SIGINT for the foreground job; without a PTY, baton does it.
    if (opts.ctrlC) {
      if (w.io === 'tty') typeInto(path.join(dir, 'stdin'), '\x03');
      else signalAll(findTreeByCookie(dir), 'SIGINT');
    }
    await engine.wait([w.label], { mode: 'all', timeoutMs: opts.yieldMs ?? DEFAULT_WRITE_YIELD_MS });
  }
  return reply(engine, w.label, started, opts.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
}
