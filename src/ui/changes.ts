import { statSync } from 'node:fs';
import path from 'node:path';
import { WORKER_FILES, type BatonHome } from '../index.js';

function stat(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.mtimeNs}:${s.size}`;
  } catch {
    return '-';
  }
}

/**
 * A cheap fingerprint of the store: every commit by any baton process touches the SQLite file or
 * its write-ahead log, so an unchanged fingerprint means there is nothing new to read.
 */
export function storeStamp(home: BatonHome): string {
  return [home.db, `${home.db}-wal`].map(stat).join('|');
}

/**
 * A fingerprint of what active workers' wrappers write (output, exit status, stop marker) and of
 * the workers folder itself (a new worker, a removed one). Changes here need a sync to show up.
 */
export function filesStamp(home: BatonHome, activeIds: readonly string[]): string {
  const parts = [stat(home.workers)];
  for (const id of activeIds) {
    const dir = home.workerDir(id);
    parts.push(
      stat(path.join(dir, WORKER_FILES.stdout)),
      stat(path.join(dir, WORKER_FILES.exit)),
      stat(path.join(dir, WORKER_FILES.cancel)),
    );
  }
  return parts.join('|');
}
