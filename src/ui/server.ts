import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BatonError, type Engine } from '../index.js';
import { Api } from './api.js';
import { admit, allowedHosts, newToken } from './auth.js';
import { LiveFeed } from './live.js';
import { DashboardModel } from './model.js';
import { StaticFiles } from './static.js';

/** How `baton ui` serves; each field names the flag it comes from. */
export interface DashboardOptions {
  /** --port: 0 (the default) lets the system pick a free one. */
  port?: number;
  /** The access token; a fresh random one by default. */
  token?: string;
  /** How often the live feed looks for changes while a page is open (default 150 ms). */
  pollMs?: number;
  /** The built page (default: the package's `dist/dashboard`). */
  assetsDir?: string;
}

/** A running dashboard. */
export interface Dashboard {
  /** The page's address, token included: the only way in. */
  url: string;
  port: number;
  token: string;
  /** False when the page's assets are missing (the API still works). */
  assetsBuilt: boolean;
  close(): Promise<void>;
}

/** The only host the server binds: the page is never reachable from another machine. */
export const DASHBOARD_HOST = '127.0.0.1';

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}

/**
 * Serves the live dashboard on 127.0.0.1 until closed. Every request must carry the token as the
 * first path segment (`/<token>/…`) and a `Host` of this server itself; everything else is refused
 * before any handler runs. The page only reads the store, except for Stop (a POST).
 */
export async function startDashboard(engine: Engine, opts: DashboardOptions = {}): Promise<Dashboard> {
  const token = opts.token ?? newToken();
  const model = new DashboardModel(engine);
  const live = new LiveFeed(model, opts.pollMs ?? 150);
  const api = new Api(engine, model, live);
  const files = new StaticFiles(opts.assetsDir);
  let hosts: ReadonlySet<string> = new Set();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const gate = admit(req, token, hosts);
    if (!gate.ok) return refuse(res, gate.status, gate.message);
    if (gate.path === '') {
      res.writeHead(308, { Location: `/${token}/${gate.search}` });
      return void res.end();
    }
    if (gate.path.startsWith('/api/')) {
      return void api.handle(req, res, gate.path.slice('/api'.length), new URLSearchParams(gate.search));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return refuse(res, 405, 'method not allowed');
    }
    files.serve(res, gate.path, req.method === 'HEAD');
  };

  const server = createServer(handle);
  const port = await listen(server, opts.port ?? 0);
  hosts = allowedHosts(port);
  return {
    url: `http://${DASHBOARD_HOST}:${port}/${token}/`,
    port,
    token,
    assetsBuilt: files.built,
    close: () =>
      new Promise<void>((resolve) => {
        live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new BatonError('CONFLICT', `port ${port} is already in use; pick another --port, or omit it`)
          : new BatonError('INTERNAL', `cannot listen on ${DASHBOARD_HOST}:${port}: ${error.message}`),
      );
    });
    server.listen(port, DASHBOARD_HOST, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
