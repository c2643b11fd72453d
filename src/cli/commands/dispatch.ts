import type { Command } from 'commander';
import type { Engine } from '../../index.js';

/** `baton _dispatch`: internal; exiting workers run it to start queued ones. */
export function registerDispatch(program: Command, engine: () => Engine): void {
  program
    .command('_dispatch', { hidden: true })
    .description('start queued workers that may run now (called by exiting workers)')
    .action(() => {
      if (engine().exists) engine().dispatch();
    });
}
