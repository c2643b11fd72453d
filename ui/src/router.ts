import { useEffect, useState } from 'preact/hooks';

/** The page's places, from the URL's hash (the path holds the token and stays fixed). */
export type Route =
  | { view: 'runs' }
  | { view: 'run'; id: string }
  | { view: 'workers'; run: string | null }
  | { view: 'worker'; id: string };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'runs' && parts[1] !== undefined) return { view: 'run', id: parts[1] };
  if (parts[0] === 'workers' && parts[1] !== undefined) return { view: 'worker', id: parts[1] };
  if (parts[0] === 'workers') return { view: 'workers', run: new URLSearchParams(search).get('run') };
  return { view: 'runs' };
}

export const href = {
  runs: () => '#/',
  run: (id: string) => `#/runs/${encodeURIComponent(id)}`,
  workers: (run: string | null = null) =>
    run === null ? '#/workers' : `#/workers?run=${encodeURIComponent(run)}`,
  worker: (id: string) => `#/workers/${encodeURIComponent(id)}`,
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
