import Database from 'better-sqlite3';
import { BatonError } from '../errors.js';

/** The store's connection type, re-exported so callers need not import better-sqlite3. */
export type Db = Database.Database;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE workers (
     label TEXT PRIMARY KEY,
     backend TEXT NOT NULL,
     role TEXT NOT NULL,
     cwd TEXT NOT NULL,
     sandbox TEXT,
     task TEXT NOT NULL,
     prompt TEXT NOT NULL,
     argv TEXT NOT NULL,
     schema_path TEXT,
     timeout_ms INTEGER,
     grace_ms INTEGER NOT NULL,
     state TEXT NOT NULL,
     reason TEXT,
     exit_code INTEGER,
     pid INTEGER,
     pid_start TEXT,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     ended_at INTEGER,
     stdout_offset INTEGER NOT NULL DEFAULT 0,
     thread_id TEXT,
     final_message TEXT,
     usage TEXT,
     turn_status TEXT,
     turn_error TEXT,
     last_activity TEXT,
     run_id TEXT
   )`,
  `CREATE TABLE events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     worker TEXT NOT NULL,
     at INTEGER NOT NULL,
     type TEXT NOT NULL,
     data TEXT NOT NULL
   )`,
  `CREATE INDEX events_by_worker ON events (worker, id)`,
  `ALTER TABLE workers ADD COLUMN writes TEXT NOT NULL DEFAULT '[]'`,
  `ALTER TABLE workers ADD COLUMN max_parallel INTEGER NOT NULL DEFAULT 16`,
  `ALTER TABLE workers ADD COLUMN env TEXT NOT NULL DEFAULT '{}'`,
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     budget_tokens INTEGER,
     created_at INTEGER NOT NULL,
     exhausted_at INTEGER
   )`,
  `ALTER TABLE workers ADD COLUMN io TEXT NOT NULL DEFAULT 'none'`,
  `ALTER TABLE workers ADD COLUMN read_offset INTEGER NOT NULL DEFAULT 0`,
  `CREATE TABLE plan_updates (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     explanation TEXT,
     steps TEXT NOT NULL
   )`,
  `CREATE INDEX plan_updates_by_run ON plan_updates (run_id, id)`,
  `ALTER TABLE runs ADD COLUMN pattern TEXT`,
  `ALTER TABLE runs ADD COLUMN state TEXT NOT NULL DEFAULT 'open'`,
  `ALTER TABLE runs ADD COLUMN title TEXT`,
  `ALTER TABLE runs ADD COLUMN ended_at INTEGER`,
  `ALTER TABLE runs ADD COLUMN report TEXT`,
  `ALTER TABLE runs ADD COLUMN result TEXT`,
  `ALTER TABLE workers ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1`,
  `ALTER TABLE workers ADD COLUMN attempt_of TEXT`,
  `ALTER TABLE workers ADD COLUMN retries INTEGER NOT NULL DEFAULT 0`,
  `ALTER TABLE workers ADD COLUMN retry_timeouts INTEGER NOT NULL DEFAULT 0`,
  `ALTER TABLE workers ADD COLUMN not_before INTEGER`,
  `ALTER TABLE workers ADD COLUMN extra_args TEXT NOT NULL DEFAULT '[]'`,
  `ALTER TABLE workers ADD COLUMN model TEXT`,
  `ALTER TABLE workers ADD COLUMN kind TEXT NOT NULL DEFAULT 'run'`,
  `CREATE TABLE backend_limits (
     backend TEXT PRIMARY KEY,
     cap INTEGER NOT NULL,
     hit_at INTEGER NOT NULL,
     until INTEGER NOT NULL,
     hits INTEGER NOT NULL,
     reason TEXT NOT NULL
   )`,
  `CREATE INDEX workers_by_attempt_of ON workers (attempt_of, attempt)`,
  `CREATE INDEX workers_by_backend_state ON workers (backend, state)`,
  // Rows from before: only those the old rule would still retry are left for the retry policy.
  `ALTER TABLE workers ADD COLUMN retry_settled INTEGER NOT NULL DEFAULT 0`,
  `UPDATE workers SET retry_settled = 1 WHERE NOT (retries > 0 AND attempt <= retries
     AND NOT EXISTS (SELECT 1 FROM workers later
       WHERE later.attempt_of = COALESCE(workers.attempt_of, workers.label) AND later.attempt > workers.attempt))`,
];

/**
 * Opens (and migrates) the SQLite store. WAL lets many baton processes read while one writes;
 * busy_timeout makes concurrent writers queue instead of failing.
 */
export function openDb(file: string): Db {
  let db: Db;
  try {
    db = new Database(file);
  } catch (cause) {
    throw new BatonError('STORE', `cannot open the store at ${file}: ${(cause as Error).message}`, { cause });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version >= MIGRATIONS.length) return;
  db.transaction(() => {
    const current = Number(db.pragma('user_version', { simple: true }));
    for (let i = current; i < MIGRATIONS.length; i++) db.exec(MIGRATIONS[i] ?? '');
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
