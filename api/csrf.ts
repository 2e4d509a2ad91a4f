/**
 * Cross-site request forgery defences of the API, in front of the route table. `SameSite=Lax`
 * alone is not enough: a form posted from another site, or a `no-cors` fetch, can still reach a
 * route whose body has no required field (accept — which bills —, check-in, logout, publish…).
 * Two independent checks close that:
 * - bodies are JSON only: a cross-site page cannot send `Content-Type: application/json` without a
 *   CORS preflight, which this API never grants;
 * - a write authenticated by the session cookie must come from the app's own origin
 *   (`Sec-Fetch-Site`, else `Origin`). Bearer tokens are not sent by browsers on their own, so
 *   calls with one are not subject to it.
 */
import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors.js';
import type { AuthenticatedRequest } from './auth/access.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the request carries a body (or announces one). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * 415 for a write whose Content-Type is not `application/json` (even with an empty body: a form
 * posted with no field), or that sends a body without any Content-Type. A write without a body
 * and without a Content-Type (`POST …/publish` from a script) is fine.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (!UNSAFE.has(req.method)) return next();
  const type = req.headers['content-type'];
  if (type === undefined ? !hasBody(req) : /^application\/json\s*(;|$)/i.test(type.trim())) return next();
  const given = type === undefined ? 'a body without Content-Type' : `Content-Type ${type.split(';')[0]!.trim().slice(0, 100)}`;
  next(
    new HttpError(415, 'unsupported_media_type', `expected Content-Type application/json, got ${given}`, [
      { field: 'Content-Type', message: 'expected application/json' },
    ]),
  );
};

/** Whether the browser says the request comes from the app itself. */
function fromOwnOrigin(req: Request, publicOrigin: string | null): boolean {
  // Set by the browser itself (scripts cannot forge it); sent by every current browser to
  // https and localhost origins.
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return false;
  if (publicOrigin !== null && origin === publicOrigin) return true;
  // Without PUBLIC_URL (or reached under another name): the host the browser called. The
  // scheme is not compared: behind a TLS-terminating proxy the app sees http. A cookie of this
  // app is only sent to this host, so an attacker's page cannot pass this with the victim's cookie.
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * 403 for a write authenticated by the session cookie that the browser does not declare as
 * coming from the app's own origin. Runs after `authenticate` (it needs the credential used).
 */
export function sameOriginWrites(options: { publicUrl?: string | undefined }): RequestHandler {
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : null;
  return (req, _res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    if ((req as AuthenticatedRequest).credential?.kind !== 'session') return next();
    if (fromOwnOrigin(req, publicOrigin)) return next();
    next(new HttpError(403, 'forbidden', 'cross-site request refused: a write with the session cookie must come from the app itself'));
  };
}
