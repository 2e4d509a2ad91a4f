/**
 * Prometheus Alertmanager → requests (issue 13). Alertmanager posts each alert group's
 * notifications (webhook payload version 4) with the company integration's bearer token.
 *
 * - One request per alert group (`groupKey`) while it is open: the first `firing` notification
 *   files a request through the normal intake (the same use case as POST /api/requests, so a
 *   Temporal intervention workflow, ticket number, SLA and confirmation); later notifications are
 *   added to that request's timeline. Once the request is closed or cancelled, the group's next
 *   firing notification files a new one.
 * - A `resolved` notification is recorded on the timeline and, when no visit has started,
 *   proposes closing the request to support (`closeProposedAt`, shown with the request's alerts).
 * - Labels: `severity` gives the priority through the intake's impact × urgency matrix —
 *   critical → P1, error/major/high → P2, warning/minor/medium → P3, anything else → P4 (a
 *   premium contract raises it one level, as for any request); `service_type` (one of the
 *   service types) overrides the integration's; the host part of `instance` (`srv-01:9100`,
 *   `https://srv-01.example.fr/metrics`) is matched to an asset's hostname (its full name, else
 *   its first label), whose site the request goes to.
 * Notifications of one group are serialised by an advisory lock, so concurrent retries never
 * file two requests.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { findAssetByHostname } from '../../db/repositories/assets.repository.js';
import {
  appendAlertEvent,
  closeAlertGroup,
  findOpenAlertGroup,
  insertAlertGroup,
  integrationContact,
  integrationForTokenHash,
  lockAlertGroup,
  noteAlertNotification,
  proposeClosing,
  setAlertGroupTicket,
  visitStarted,
} from '../../db/repositories/monitoring.repository.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import { SERVICE_TYPES, type InterventionPolicy } from '../../workflows/intervention/intervention.contract.js';
import type { Level, ServiceType } from '../../workflows/intervention/intervention.vocabulary.js';
import { HttpError } from '../errors.js';
import { submitRequest } from '../intake/submit-request.js';
import type { CreateRequestBody } from '../schemas/request.schema.js';
import type { AlertmanagerPayload } from '../schemas/integrations.schema.js';
import { INTEGRATION_TOKEN_PREFIX } from './integrations.js';

export interface AlertmanagerDeps {
  /** The owner connection: the caller is a monitoring system, authenticated by its own token. */
  db: Kysely<DB>;
  temporal: Client;
  taskQueue: string;
  intakeConfirmMs: number;
  interventionPolicy?: Partial<InterventionPolicy> | undefined;
}

export type AlertReceipt = {
  outcome: 'created' | 'notified' | 'resolved' | 'ignored';
  ticketNumber: string | null;
  alertGroupId: string | null;
  closeProposed: boolean;
};

/** Severity label → impact and urgency of the intake matrix (documented above). */
export function levelOfSeverity(severity: string | undefined): Level {
  switch ((severity ?? '').toLowerCase()) {
    case 'critical':
    case 'page':
      return 'critical';
    case 'error':
    case 'major':
    case 'high':
      return 'high';
    case 'warning':
    case 'minor':
    case 'medium':
      return 'medium';
    default:
      return 'low';
  }
}

/** The host named by an `instance` label: no scheme, port, path or IPv6 brackets; lower case. */
export function hostOfInstance(instance: string | undefined): string | null {
  if (!instance) return null;
  let rest = instance.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  rest = rest.split('/')[0]!;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(rest);
  if (bracketed) return bracketed[1]!.toLowerCase();
  if ((rest.match(/:/g) ?? []).length === 1) rest = rest.split(':')[0]!;
  return rest === '' ? null : rest.toLowerCase();
}

function bearerOf(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match && match[1]!.startsWith(INTEGRATION_TOKEN_PREFIX) ? match[1]! : null;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describe(payload: AlertmanagerPayload): { labels: Record<string, string>; title: string; nature: string } {
  const first = payload.alerts.find((a) => a.status === 'firing') ?? payload.alerts[0]!;
  const labels = { ...payload.commonLabels, ...payload.groupLabels, ...first.labels };
  const summary = payload.commonAnnotations.summary ?? first.annotations.summary ?? payload.commonAnnotations.description ?? '';
  const title = clip(`[${labels.alertname ?? 'alerte'}] ${summary || labels.instance || ''}`.trim(), 200);
  const lines = payload.alerts.map((a) => {
    const text = a.annotations.description ?? a.annotations.summary ?? '';
    const named = Object.entries(a.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return `- ${a.status} depuis ${a.startsAt} : ${text} (${named})`;
  });
  const nature = clip(
    [`Alerte de supervision reçue d’Alertmanager (${payload.alerts.length} alerte(s) du groupe ${payload.groupKey}).`, ...lines].join('\n'),
    5000,
  );
  return { labels, title, nature };
}

/** Handles one webhook call; `authorization` is the request's header. */
export async function receiveAlertmanager(
  deps: AlertmanagerDeps,
  authorization: string | undefined,
  payload: AlertmanagerPayload,
): Promise<AlertReceipt> {
  const token = bearerOf(authorization);
  const integration = token ? await integrationForTokenHash(deps.db, hashSecret(token)) : undefined;
  if (!integration) throw new HttpError(401, 'unauthorized', 'a valid integration token is required (Authorization: Bearer fsi_…)');
  const { labels, title, nature } = describe(payload);
  const groupKey = payload.groupKey;

  // Under the group's lock: the open group (a closed request closes it), then either a new group
  // row (the request is filed below, outside the lock's transaction) or one more notification.
  const step = await deps.db.transaction().execute(async (trx) => {
    await lockAlertGroup(trx, integration.id, groupKey);
    let group = await findOpenAlertGroup(trx, integration.id, groupKey);
    if (group && (group.requestStatus === 'closed' || group.requestStatus === 'cancelled')) {
      await closeAlertGroup(trx, group.id);
      group = undefined;
    }
    if (!group) {
      if (payload.status === 'resolved') return { kind: 'ignored' as const };
      const host = hostOfInstance(labels.instance);
      const asset = host
        ? ((await findAssetByHostname(trx, integration.clientId, host)) ??
          (host.includes('.') ? await findAssetByHostname(trx, integration.clientId, host.split('.')[0]!) : undefined))
        : undefined;
      const row = await insertAlertGroup(trx, {
        integrationId: integration.id,
        clientId: integration.clientId,
        groupKey,
        assetId: asset?.id ?? null,
        alertStatus: 'firing',
      });
      return { kind: 'new' as const, groupId: row.id, asset };
    }
    const number = await noteAlertNotification(trx, group.id, payload.status);
    let closeProposed = group.closeProposedAt !== null;
    if (group.requestId) {
      await appendAlertEvent(trx, {
        requestId: group.requestId,
        kind: payload.status === 'resolved' ? 'alert_resolved' : 'alert_repeated',
        message:
          payload.status === 'resolved'
            ? `Alertmanager : alerte résolue (${payload.alerts.length} alerte(s))`
            : `Alertmanager : alerte toujours active (notification n° ${number})`,
        payload: { groupKey, status: payload.status, alerts: payload.alerts.length, labels },
        idempotencyKey: `alertmanager:${group.id}:${number}`,
      });
      if (payload.status === 'resolved' && !closeProposed && !(await visitStarted(trx, group.requestId))) {
        await proposeClosing(trx, group.id);
        closeProposed = true;
        await appendAlertEvent(trx, {
          requestId: group.requestId,
          kind: 'close_proposed',
          message: 'Alerte résolue avant toute visite : clôture proposée au support',
          payload: { groupKey },
          idempotencyKey: `alertmanager:${group.id}:close-proposed`,
        });
      }
    }
    return { kind: 'existing' as const, groupId: group.id, ticketNumber: group.ticketNumber, closeProposed };
  });

  if (step.kind === 'ignored') return { outcome: 'ignored', ticketNumber: null, alertGroupId: null, closeProposed: false };
  if (step.kind === 'existing') {
    return {
      outcome: payload.status === 'resolved' ? 'resolved' : 'notified',
      ticketNumber: step.ticketNumber,
      alertGroupId: step.groupId,
      closeProposed: step.closeProposed,
    };
  }

  const contact = await integrationContact(deps.db, integration.clientId, integration.createdByUserId);
  const level = levelOfSeverity(labels.severity);
  const serviceType = (SERVICE_TYPES as readonly string[]).includes(labels.service_type ?? '')
    ? (labels.service_type as ServiceType)
    : (integration.serviceType as ServiceType);
  const body: CreateRequestBody = {
    clientId: integration.clientId,
    locationId: step.asset?.locationId ?? integration.locationId,
    ...(step.asset ? { assetId: step.asset.id } : {}),
    ...(contact?.contactId ? { requesterContactId: contact.contactId } : {}),
    serviceType,
    title,
    contact: {
      name: contact?.name ?? integration.name,
      email: contact?.email ?? 'supervision@invalid.example',
      preferredContactMode: 'email',
    },
    problem: {
      nature,
      businessImpact: clip(`Alerte de supervision « ${integration.name} », sévérité ${labels.severity ?? 'non précisée'}.`, 2000),
      impactLevel: level,
      urgency: level,
    },
  };
  // The normal intake, with the group as its idempotency key: a retried webhook gets the same ticket.
  // Refused (a site removed since…): the group is closed, so the next notification tries again.
  const outcome = await submitRequest(
    {
      temporal: deps.temporal,
      taskQueue: deps.taskQueue,
      intakeConfirmMs: deps.intakeConfirmMs,
      interventionPolicy: deps.interventionPolicy,
    },
    {
      body,
      principal: null,
      idempotencyKey: `alert-group-${step.groupId}`,
      scoped: (fn) => deps.db.transaction().execute(fn),
    },
  ).catch(async (err: unknown) => {
    if (err instanceof HttpError && err.status < 500) await closeAlertGroup(deps.db, step.groupId);
    throw err;
  });
  await setAlertGroupTicket(deps.db, step.groupId, outcome.ticketNumber);
  return { outcome: 'created', ticketNumber: outcome.ticketNumber, alertGroupId: step.groupId, closeProposed: false };
}
