/** Answers of the monitoring integration routes. */
import { z } from 'zod';

const timestamp = z.string();

export const integrationSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  name: z.string(),
  locationId: z.string(),
  serviceType: z.string(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});
export const integrationListSchema = z.object({ items: z.array(integrationSchema) });
/** The token is in this answer only: it is stored hashed. */
export const integrationCreatedSchema = integrationSchema.extend({ token: z.string() });

export const alertReceiptSchema = z.object({
  outcome: z.enum(['created', 'notified', 'resolved', 'ignored']),
  ticketNumber: z.string().nullable(),
  alertGroupId: z.string().nullable(),
  closeProposed: z.boolean(),
});

export const requestAlertsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      groupKey: z.string(),
      integrationName: z.string(),
      alertStatus: z.enum(['firing', 'resolved']),
      notifications: z.number().int(),
      firstNotifiedAt: timestamp,
      lastNotifiedAt: timestamp,
      resolvedAt: timestamp.nullable(),
      closeProposedAt: timestamp.nullable(),
      open: z.boolean(),
    }),
  ),
});
