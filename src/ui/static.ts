import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build` (vite) puts the page: `<package>/dist/dashboard`. This file is
 * `<package>/{src,dist}/ui/static.{ts,js}`, so the package root is two folders up either way.
 */
export const DASHBOARD_ASSETS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/dashboard',
);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>baton</title>
<p>The dashboard's page is not built. Run <code>npm run build</code> in baton's folder, then reload.</p>`;

/**
 * Serves the built page's files from memory (they never change while baton runs). Paths are
 * resolved inside the assets folder only; anything else is a 404.
 */
export class StaticFiles {
  private readonly cache = new Map<string, Buffer>();

  constructor(readonly dir: string = DASHBOARD_ASSETS) {}

  get built(): boolean {
    return existsSync(path.join(this.dir, 'index.html'));
  }

  serve(res: ServerResponse, urlPath: string, head: boolean): void {
    const rel = urlPath === '/' ? 'index.html' : safeDecode(urlPath).replace(/^\/+/, '');
    const file = path.resolve(this.dir, rel);
    if (!file.startsWith(this.dir + path.sep)) return notFound(res);
    const body = this.read(file);
    if (body === null) {
      if (rel === 'index.html')
        return send(res, 200, TYPES['.html'] ?? '', Buffer.from(NOT_BUILT), head, false);
      return notFound(res);
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    // Hashed asset names never change content; the page itself is always re-fetched.
    send(res, 200, type, body, head, rel.startsWith('assets/'));
  }

  private read(file: string): Buffer | null {
    const cached = this.cache.get(file);
    if (cached) return cached;
    try {
      const body = readFileSync(file);
      this.cache.set(file, body);
      return body;
    } catch {
      return null;
    }
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer,
  head: boolean,
  immutable: boolean,
) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': immutable ? 'private, max-age=31536000, immutable' : 'no-store',
  });
  res.end(head ? undefined : body);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}

function safeDecode(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return '\0';
  }
}
