/**
 * Nothing an authenticated call returns may be kept by a browser or a shared cache (the account,
 * the GDPR export, invoices, CSV exports…): one header for every such response, set before the
 * route runs. A route may still set a stricter one (attachments: `private, no-store`).
 */
import type { RequestHandler } from 'express';
import type { AuthenticatedRequest } from './auth/access.js';

export const noStoreWhenAuthenticated: RequestHandler = (req, res, next) => {
  if ((req as AuthenticatedRequest).principal) res.setHeader('Cache-Control', 'no-store');
  next();
};
