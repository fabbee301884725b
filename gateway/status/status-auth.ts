/**
 * Who may read the status page. Bound to a loopback address it needs no token (only this machine
 * reaches it); bound anywhere else it refuses to start without one. When a token is set it is
 * required on every data route, as `Authorization: Bearer <token>` or `?token=<token>` (the page
 * passes the one it was opened with on to /events and /api/status; EventSource cannot send
 * headers). Compared in constant time, after hashing both sides so the length leaks nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const MIN_TOKEN_LENGTH = 16;

export type StatusServerErrorCode = 'E_STATUS_TOKEN' | 'E_STATUS_PAGE' | 'E_STATUS_LISTEN';

export class StatusServerError extends Error {
  constructor(readonly code: StatusServerErrorCode, message: string) {
    super(message);
    this.name = 'StatusServerError';
  }
}

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and 'localhost': addresses only this machine reaches. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Throws E_STATUS_TOKEN when the page would be reachable from the network without a good token. */
export function checkExposure(host: string, token: string | undefined): void {
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new StatusServerError('E_STATUS_TOKEN', `the status page token must be at least ${MIN_TOKEN_LENGTH} characters, got ${token.length}; ` +
      "make one with e.g. 'openssl rand -hex 16'");
  }
  if (token === undefined && !isLoopback(host)) {
    throw new StatusServerError('E_STATUS_TOKEN', `the status page would listen on ${host}, reachable from the network, without a token; ` +
      'give it a token (at least 16 characters), or listen on 127.0.0.1');
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** The token this request presents, from the Authorization header or the query; undefined if none. */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  const bearer = auth !== undefined ? /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] : undefined;
  return bearer ?? url.searchParams.get('token') ?? undefined;
}

/** True when no token is required, or the request presents the right one. */
export function authorised(expected: string | undefined, req: IncomingMessage, url: URL): boolean {
  if (expected === undefined) return true;
  const given = presentedToken(req, url);
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}
