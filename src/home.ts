import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** Paths inside baton's state directory; nothing baton writes lives outside it. */
export interface BatonHome {
  root: string;
  db: string;
  workers: string;
  workerDir(label: string): string;
}

/** `BATON_HOME`, else `./.baton` in the current directory. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): BatonHome {
  const root = path.resolve(cwd, env['BATON_HOME'] || '.baton');
  const workers = path.join(root, 'workers');
  return {
    root,
    db: path.join(root, 'baton.db'),
    workers,
    workerDir: (label) => path.join(workers, label),
  };
}

/** Creates the state directory on first write (reads never create it). */
export function ensureHome(home: BatonHome): void {
  mkdirSync(home.workers, { recursive: true });
}
