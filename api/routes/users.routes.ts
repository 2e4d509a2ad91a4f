/**
 * Account administration. Admins manage every account; a client admin manages the accounts of
 * their own company (row-level security limits what they see, the checks below what they may
 * grant). Role changes and disabling are audited with the before/after values.
 */
import type { Request } from 'express';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { listApiTokens, revokeAllForUser } from '../../db/repositories/credentials.repository.js';
import { sendAccountLink, type AccountMailer } from '../admin/account-links.js';
import { recordChange } from '../audit-trail.js';
import { createUser, findUser, listUsers, updateUser } from '../../db/repositories/users.repository.js';
import { requestOrigin } from '../auth/access.js';
import { assertPasswordPolicy } from '../auth/password-policy.js';
import { HttpError, notFound } from '../errors.js';
import { route, type Principal, type Role, type RouteSpec } from '../routing.js';
import { createUserSchema, listUsersQuerySchema, updateUserSchema, userIdParamSchema } from '../schemas/auth.schema.js';
import { tokenListSchema, userListSchema, userSchema } from '../schemas/auth.response.js';
import { accountLinkSchema } from '../schemas/admin.schema.js';
import { accountLinkSentSchema } from '../schemas/admin.response.js';

export interface UserRoutesDeps {
  /** Sends the invitation and reset links; without it those answer 503. */
  mailer?: AccountMailer;
  /** Base of the links (the request's own origin when absent). */
  publicUrl?: string;
}

const baseUrlOf = (deps: UserRoutesDeps, req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;

const CLIENT_ROLES: readonly Role[] = ['client_user', 'client_admin'];

/** What a client admin may not do: grant a non-client role or act outside their company. */
function checkGrant(principal: Principal, role: Role | undefined, clientId: string | null | undefined) {
  if (principal.role !== 'client_admin') return;
  if (role !== undefined && !CLIENT_ROLES.includes(role)) {
    throw new HttpError(403, 'forbidden', `a client admin may not grant the role ${role}`);
  }
  if (clientId !== undefined && clientId !== principal.clientId) {
    // Another company is "unknown" to a client admin, like any object outside their tenant.
    throw new HttpError(422, 'validation_failed', 'clientId: no such client', [{ field: 'clientId', message: 'no such client' }]);
  }
}

export function userRoutes(deps: UserRoutesDeps = {}): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/users',
      tag: 'users',
      summary: 'Accounts (a client admin sees those of their company)',
      access: ['admin', 'client_admin'],
      audit: 'personal_data',
      query: listUsersQuerySchema,
      response: { 200: userListSchema },
      async handler({ res, db, query }) {
        res.json({
          items: await listUsers(db, {
            ...(query.clientId ? { clientId: query.clientId } : {}),
            ...(query.role ? { role: query.role } : {}),
          }),
        });
      },
    }),
    route({
      method: 'post',
      path: '/users',
      tag: 'users',
      summary: 'Create an account',
      access: ['admin', 'client_admin'],
      body: createUserSchema,
      responses: {
        201: 'Created',
        400: 'Invalid field, or a password the policy refuses',
        409: 'Email already used',
        422: 'Role without its client or technician',
      },
      response: { 201: userSchema },
      async handler({ req, res, db, body, principal }) {
        const clientId = principal!.role === 'client_admin' ? (body.clientId ?? principal!.clientId) : body.clientId;
        checkGrant(principal!, body.role, clientId);
        if (body.password !== undefined) assertPasswordPolicy('password', body.password, body);
        const { sendInvitation, ...fields } = body;
        const user = await createUser(db, { ...fields, clientId: clientId ?? null, technicianId: body.technicianId ?? null });
        recordChange(res, { entityType: 'account', entityId: user.id, before: null, after: user });
        if (sendInvitation) {
          await sendAccountLink(db, { userId: user.id, purpose: 'invite', baseUrl: baseUrlOf(deps, req) }, deps.mailer, (c) =>
            recordChange(res, c),
          );
        }
        res.status(201).json(user);
      },
    }),
    route({
      method: 'patch',
      path: '/users/:userId',
      tag: 'users',
      summary: 'Change role, scope or name, or disable/enable an account (disabling ends its sessions and tokens)',
      access: ['admin', 'client_admin'],
      params: userIdParamSchema,
      body: updateUserSchema,
      responses: { 200: 'Updated', 404: 'No such account', 422: 'Role without its client or technician' },
      response: { 200: userSchema },
      async handler({ req, res, db, params, body, principal }) {
        checkGrant(principal!, body.role, body.clientId);
        const before = await findUser(db, params.userId);
        if (!before) throw notFound(`user ${params.userId}`);
        if (principal!.role === 'client_admin' && !CLIENT_ROLES.includes(before.role)) throw notFound(`user ${params.userId}`);
        if (params.userId === principal!.userId && (body.active === false || (body.role && body.role !== before.role))) {
          throw new HttpError(409, 'conflict', 'you may not disable yourself or change your own role');
        }
        const after = await updateUser(db, params.userId, body);
        if (!after) throw notFound(`user ${params.userId}`);
        if (after.role !== before.role || after.clientId !== before.clientId || after.technicianId !== before.technicianId) {
          await appendAudit(db, {
            actorUserId: principal!.userId,
            actorRole: principal!.role,
            action: 'role_change',
            entityType: 'account',
            entityId: after.id,
            ...requestOrigin(req),
            details: JSON.stringify({
              from: { role: before.role, clientId: before.clientId, technicianId: before.technicianId },
              to: { role: after.role, clientId: after.clientId, technicianId: after.technicianId },
            }),
          });
        }
        if (before.active && !after.active) await revokeAllForUser(db, after.id);
        recordChange(res, { entityType: 'account', entityId: after.id, before, after });
        res.json(after);
      },
    }),
    route({
      method: 'post',
      path: '/users/:userId/account-link',
      tag: 'users',
      summary: 'Email the account a one-time link to choose its password: an invitation (7 days) or a reset (24 hours)',
      access: ['admin', 'client_admin'],
      params: userIdParamSchema,
      body: accountLinkSchema,
      responses: { 200: 'Sent', 404: 'No such account', 409: 'The account is disabled', 503: 'No email on this server' },
      response: { 200: accountLinkSentSchema },
      async handler({ req, res, db, params, body, principal }) {
        const target = await findUser(db, params.userId);
        if (!target || (principal!.role === 'client_admin' && !CLIENT_ROLES.includes(target.role))) throw notFound(`user ${params.userId}`);
        res.json(
          await sendAccountLink(db, { userId: params.userId, purpose: body.purpose, baseUrl: baseUrlOf(deps, req) }, deps.mailer, (c) =>
            recordChange(res, c),
          ),
        );
      },
    }),
    route({
      method: 'get',
      path: '/users/:userId/tokens',
      tag: 'users',
      summary: "An account's API tokens (revoked ones included); revoke with DELETE /auth/tokens/{tokenId}",
      access: ['admin'],
      params: userIdParamSchema,
      response: { 200: tokenListSchema },
      async handler({ res, db, params }) {
        res.json({ items: await listApiTokens(db, params.userId) });
      },
    }),
  ];
}
