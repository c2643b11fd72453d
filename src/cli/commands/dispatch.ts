import type { Command } from 'commander';
import { MAX_PAUSE_MS, type Engine } from '../../index.js';

/** Longest backoff or pause a `_dispatch` process waits out itself (a rate-limit pause at most). */
const MAX_WAIT_MS = MAX_PAUSE_MS + 10_000;
/** While it waits it re-plans this often, so workers exiting meanwhile (who leave it to us) free slots. */
const SLICE_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `baton _dispatch`: internal; exiting workers run it to start queued ones. When a retry waits out
 * a backoff and no other baton process is dispatching, it stays (briefly) to start it on time.
 */
export function registerDispatch(program: Command, engine: () => Engine): void {
  program
    .command('_dispatch', { hidden: true })
    .description('start queued workers that may run now (called by exiting workers)')
    .action(async () => {
      const e = engine();
      if (!e.exists) return;
      let release: (() => void) | undefined;
      try {
        for (;;) {
          const { waiting } = e.dispatch();
          const now = Date.now();
          // Workers held back by a retry backoff or a rate-limit pause say when it ends.
          const due = [...waiting.values()].map((q) => q.startsAt ?? 0).filter((at) => at > now);
          const soonest = Math.min(...due);
          if (!Number.isFinite(soonest) || soonest - now > MAX_WAIT_MS || e.otherDispatcherAlive()) {
            if (release === undefined) return;
            // Workers that exited while we held the lease left dispatching to us: one more pass,
            // without the lease, so none of them is missed (later exits dispatch for themselves).
            release();
            release = undefined;
            continue;
          }
          release ??= e.holdDispatcherLease();
          await sleep(Math.min(soonest - now + 20, SLICE_MS));
        }
      } finally {
        release?.();
      }
    });
}
