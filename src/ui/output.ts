import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { WORKER_FILES } from '../index.js';

/** A first look at a transcript shows its last MiB; the page then follows from there. */
export const DEFAULT_TAIL_BYTES = 1024 * 1024;
/** The most one request returns. */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

export type OutputStream = 'stdout' | 'stderr';

export interface OutputChunk {
  data: Buffer;
  /** Where `data` starts in the file. */
  from: number;
  /** Pass as `from` next time. */
  next: number;
  size: number;
}

/**
 * Raw bytes of a worker's stdout or stderr from `from` (or the tail when `from` is omitted). A
 * worker whose folder vanished has empty output, not an error.
 */
export function readOutput(
  workerDir: string,
  stream: OutputStream,
  from: number | undefined,
  max = MAX_CHUNK_BYTES,
): OutputChunk {
  const file = path.join(workerDir, WORKER_FILES[stream]);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { data: Buffer.alloc(0), from: 0, next: 0, size: 0 };
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.min(size, from ?? Math.max(0, size - DEFAULT_TAIL_BYTES));
    const length = Math.min(size - start, Math.min(max, MAX_CHUNK_BYTES));
    const data = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, data, read, length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return { data: data.subarray(0, read), from: start, next: start + read, size };
  } finally {
    closeSync(fd);
  }
}
