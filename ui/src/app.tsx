import { useLive } from './live';
import { href, useRoute } from './router';
import { RunView } from './views/run';
import { RunsView } from './views/runs';
import { WorkerView } from './views/worker';
import { WorkersView } from './views/workers';

/** The page: a header with the live status, and the view the URL's hash names. */
export function App() {
  const route = useRoute();
  const store = useLive();
  return (
    <>
      <header>
        <a class="brand" href={href.runs()}>
          baton
        </a>
        <nav>
          <a href={href.runs()} class={route.view === 'runs' || route.view === 'run' ? 'active' : ''}>
            Runs
          </a>
          <a
            href={href.workers()}
            class={route.view === 'workers' || route.view === 'worker' ? 'active' : ''}
          >
            All workers
          </a>
        </nav>
        <span class={store.connected ? 'conn live' : 'conn down'} data-testid="connection">
          {store.connected ? 'live' : 'reconnecting…'}
        </span>
      </header>
      {store.problem && <p class="problem">The dashboard could not read the store: {store.problem}</p>}
      <main>
        {route.view === 'runs' && <RunsView />}
        {route.view === 'run' && <RunView key={route.id} id={route.id} />}
        {route.view === 'workers' && <WorkersView key={route.run ?? ''} run={route.run} />}
        {route.view === 'worker' && <WorkerView key={route.id} id={route.id} />}
      </main>
    </>
  );
}
