import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

/** The files a worker's wrapper writes into its folder. */
export const WORKER_FILES = {
  stdout: 'stdout',
  stderr: 'stderr',
  exit: 'exit',
  cancel: 'cancel',
  schema: 'schema.json',
} as const;

/** Bytes [from, from+max) of a file, and the file's size; missing file = empty. */
export function readFrom(file: string, from: number, max: number): { data: Buffer; size: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { data: Buffer.alloc(0), size: 0 };
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.max(0, Math.min(size - from, max));
    const data = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, data, read, length - read, from + read);
      if (n === 0) break;
      read += n;
    }
    return { data: data.subarray(0, read), size };
  } finally {
    closeSync(fd);
  }
}

/** The last `maxBytes` of a file as text, trimmed. */
export function readTail(file: string, maxBytes: number): string {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return '';
  }
  const { data } = readFrom(file, Math.max(0, size - maxBytes), maxBytes);
  return data.toString('utf8').trim();
}

/** The last few non-empty lines of a file, joined by " | " (for failure reasons). */
export function lastLines(file: string, count: number): string {
  return readTail(file, 8192)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('Reading additional input from stdin'))
    .slice(-count)
    .join(' | ');
}

/** The exit status the wrapper recorded, with the time it recorded it; null while running. */
export function readExit(workerDir: string): { code: number; at: number } | null {
  const file = path.join(workerDir, WORKER_FILES.exit);
  try {
    const text = readFileSync(file, 'utf8');
    if (!text.endsWith('\n')) return null; // still being written
    const code = Number(text.trim());
    if (!Number.isInteger(code)) return null;
    return { code, at: Math.round(statSync(file).mtimeMs) };
  } catch {
    return null;
  }
}

/**
 * The reason `baton stop` wrote before signalling, if the worker was stopped. A stop that came
 * after the worker had already exited by itself does not count (`exitAt`: when exit was written).
 */
export function readCancel(workerDir: string, exitAt?: number): string | null {
  const file = path.join(workerDir, WORKER_FILES.cancel);
  if (!existsSync(file)) return null;
  if (exitAt !== undefined && Math.round(statSync(file).mtimeMs) > exitAt) return null;
  try {
    return readFileSync(file, 'utf8').trim() || 'stopped';
  } catch {
    return 'stopped';
  }
}
