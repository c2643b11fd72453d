import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One raw HTTP request (node:http, not fetch, so the test controls the Host and Origin headers
 * exactly as a DNS-rebinding page or a foreign site would send them).
 */
export function http(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; setHost?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, setHost: opts.setHost },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A server-sent-events reader: every message as { type, data, at } in arrival order. */
export function sse(url: string): {
  messages: { type: string; data: unknown; at: number }[];
  /** The first message from now on (or from index `from`) that matches. */
  next(
    pred: (m: { type: string; data: unknown }) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<{ type: string; data: unknown; at: number }>;
  close(): void;
} {
  const messages: { type: string; data: unknown; at: number }[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  const req = request(url, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) messages.push({ type, data: JSON.parse(data), at: Date.now() });
        for (const w of waiters) w();
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return {
    messages,
    next(pred, timeoutMs = 10_000, from = messages.length) {
      let seen = from;
      return new Promise((resolve, reject) => {
        const check = () => {
          for (; seen < messages.length; seen++) {
            const m = messages[seen];
            if (m && pred(m)) {
              waiters.delete(check);
              clearTimeout(timer);
              return resolve(m);
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching live message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => req.destroy(),
  };
}
