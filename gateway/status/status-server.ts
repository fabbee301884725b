/**
 * The gateway's status page over plain node:http: GET / (the page), /api/status (the snapshot as
 * JSON), /events (Server-Sent Events: a snapshot on connect and after every change), /metrics
 * (when a formatter is given) and the page's own script and style. Listens on 127.0.0.1:8181 by
 * default; any other address needs a token (status-auth.ts). Nothing secret is ever in a response:
 * the page learns its token from the address it was opened with, never from the server.
 *
 * Heartbeats and the pacing of pushes run on `clock`, real time by default: they are about
 * browsers and proxies, not about the street. The snapshot is serialised once per push, however
 * many browsers follow, and at most once per `pushIntervalMs`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import { SystemClock } from '../clock/system-clock.js';
import type { Logger } from '../log/logger.js';
import { loadPageFiles, type PageFile } from './page-files.js';
import { authorised, checkExposure, StatusServerError } from './status-auth.js';
import type { StatusSource } from './status-source.js';
import { SseClients } from './sse-clients.js';

export const DEFAULT_STATUS_HOST = '127.0.0.1';
export const DEFAULT_STATUS_PORT = 8181;

export interface StatusServerOptions {
  source: StatusSource;
  /** Default 127.0.0.1; anything that is not loopback needs `token`. */
  host?: string;
  /** Default 8181; 0 picks a free port (tests). */
  port?: number;
  /** At least 16 characters; required on every data route when set. */
  token?: string;
  /** The Prometheus text for GET /metrics; without it /metrics is 404. */
  metrics?: () => string;
  /** Where index.html, status.js, sparkline.js and status.css are; default gateway/status/page. */
  pageDir?: string;
  clock?: Clock;
  /** Default 15 s. */
  heartbeatMs?: number;
  /** Default 1000 ms. */
  pushIntervalMs?: number;
  /** Browsers following /events at once; default 32. */
  maxClients?: number;
  log?: Logger;
}

export interface StatusServer {
  /** e.g. http://127.0.0.1:8181/ (never with the token). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Browsers following /events now. */
  clients(): number;
  /** Ends every event stream and stops listening. */
  close(): Promise<void>;
}

/** The page and its assets carry no data: they are served without the token. */
const PUBLIC_ASSETS = new Set(['/status.js', '/sparkline.js', '/status.css']);
const COMMON_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer', // the page's address may carry the token
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

export async function startStatusServer(o: StatusServerOptions): Promise<StatusServer> {
  const host = o.host ?? DEFAULT_STATUS_HOST;
  const token = o.token === '' ? undefined : o.token;
  checkExposure(host, token);
  const page = loadPageFiles(o.pageDir);
  const clock = o.clock ?? new SystemClock();
  const sse = new SseClients(clock, o.heartbeatMs ?? 15_000, o.maxClients ?? 32);
  const pushEvery = o.pushIntervalMs ?? 1_000;
  let lastPush = -Infinity;
  let pushTimer: TimerId | undefined;
  const snapshotJson = (): string => JSON.stringify(o.source.snapshot());

  const push = (): void => {
    pushTimer = undefined;
    lastPush = clock.now();
    if (sse.size === 0) return;
    try {
      sse.broadcast(snapshotJson());
    } catch (err) {
      o.log?.error('status.push-failed', { error: (err as Error).message });
    }
  };
  const unsubscribe = o.source.onChange(() => {
    if (pushTimer !== undefined || sse.size === 0) return;
    pushTimer = clock.setTimeout(push, Math.max(0, lastPush + pushEvery - clock.now()));
  });

  const server = http.createServer((req, res) => {
    try {
      route(req, res);
    } catch (err) {
      o.log?.error('status.request-failed', { path: (req.url ?? '').split('?')[0], error: (err as Error).message });
      if (!res.headersSent) text(res, 500, '500: the status could not be read; the gateway log says why\n');
      else res.destroy();
    }
  });

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://status.invalid');
    const path = url.pathname === '/index.html' ? '/' : url.pathname;
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return text(res, 405, '405: only GET is served here\n');
    }
    const known = page.has(path) || path === '/api/status' || path === '/events' || (path === '/metrics' && o.metrics !== undefined);
    if (!known) return text(res, 404, '404: not a page of this gateway; try /\n');
    if (PUBLIC_ASSETS.has(path)) return file(res, page.get(path)!);
    if (!authorised(token, req, url)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="kerb status"');
      return text(res, 401, '401: this status page needs its token: open it as /?token=<token>, or send Authorization: Bearer <token>\n');
    }
    if (path === '/') return file(res, page.get('/')!);
    if (path === '/api/status') return send(res, 200, 'application/json; charset=utf-8', snapshotJson());
    if (path === '/metrics') return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', o.metrics!());
    sse.add(res, snapshotJson(), COMMON_HEADERS);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new StatusServerError('E_STATUS_LISTEN', err.code === 'EADDRINUSE'
        ? `the status page cannot listen on ${host}:${o.port ?? DEFAULT_STATUS_PORT}: the port is in use; choose another port (0 picks a free one)`
        : `the status page cannot listen on ${host}:${o.port ?? DEFAULT_STATUS_PORT}: ${err.message}`));
    });
    server.listen(o.port ?? DEFAULT_STATUS_PORT, host, () => resolve());
  }).catch((err: unknown) => {
    unsubscribe();
    throw err;
  });
  server.on('error', (err) => o.log?.error('status.server-error', { error: err.message }));
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}/`,
    host,
    port,
    clients: () => sse.size,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        if (pushTimer !== undefined) clock.clearTimer(pushTimer);
        sse.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) }).end(body);
}

function text(res: ServerResponse, status: number, body: string): void {
  send(res, status, 'text/plain; charset=utf-8', body);
}

function file(res: ServerResponse, f: PageFile): void {
  send(res, 200, f.type, f.body);
}
