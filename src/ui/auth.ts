import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh URL-safe token: 32 random bytes. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time, so response timing does not leak how much of a guess was right. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The only `Host` values the server answers: its own loopback address and `localhost`, on its
 * own port. Anything else is a DNS-rebinding attempt (a foreign name resolving to 127.0.0.1).
 */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** True when an `Origin` header, if the browser sent one, is the dashboard itself. */
export function originAllowed(origin: string | undefined, hosts: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  const m = /^http:\/\/([^/]+)$/.exec(origin);
  return m?.[1] !== undefined && hosts.has(m[1].toLowerCase());
}

/** What the gate decided about one request. */
export type Admission =
  | { ok: true; /** The path after `/<token>`, '' for the bare token. */ path: string; search: string }
  | { ok: false; status: number; message: string };

/**
 * The gate every request passes before any handler runs: a `Host` of this server, the token as
 * the first path segment, and, for a POST, no foreign `Origin`.
 */
export function admit(
  req: { url?: string; method?: string; headers: { host?: string; origin?: string } },
  token: string,
  hosts: ReadonlySet<string>,
): Admission {
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host)) {
    return { ok: false, status: 403, message: 'refused: foreign Host header' };
  }
  const raw = req.url ?? '/';
  if (!raw.startsWith('/')) return { ok: false, status: 400, message: 'refused: not a path' };
  const url = new URL(`http://dashboard.invalid${raw}`);
  const [, first, ...rest] = url.pathname.split('/');
  if (!tokenMatches(token, first)) {
    return {
      ok: false,
      status: 403,
      message: 'refused: this dashboard needs the token in the URL that `baton ui` printed',
    };
  }
  if (req.method === 'POST' && !originAllowed(req.headers.origin, hosts)) {
    return { ok: false, status: 403, message: 'refused: cross-origin request' };
  }
  return { ok: true, path: rest.length === 0 ? '' : `/${rest.join('/')}`, search: url.search };
}
