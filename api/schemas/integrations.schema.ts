/**
 * Monitoring integrations (issue 13): creating a company's Alertmanager token, and the body
 * Alertmanager posts to its webhook receivers (payload version 4, as documented in the
 * Prometheus Alertmanager configuration reference, `<webhook_config>`).
 */
import { z } from 'zod';
import { SERVICE_TYPES } from '../../workflows/intervention/intervention.contract.js';

const labels = z.record(z.string().max(200), z.string().max(4000));

export const createIntegrationSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    /** The site a request goes to when no asset matches the alert. */
    locationId: z.uuid(),
    /** The service type of its requests unless the alert's `service_type` label names one. */
    serviceType: z.enum(SERVICE_TYPES).default('network_configuration'),
  })
  .strict();

export const integrationIdParamSchema = z.object({ integrationId: z.uuid() });

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.default({}),
  startsAt: z.string().max(64),
  endsAt: z.string().max(64).optional(),
  generatorURL: z.string().max(4000).optional(),
  fingerprint: z.string().max(200).optional(),
});

/** Alertmanager's webhook body; unknown keys are accepted (newer Alertmanager versions add some). */
export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1).max(4000),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(200),
  groupLabels: labels.default({}),
  commonLabels: labels.default({}),
  commonAnnotations: labels.default({}),
  externalURL: z.string().max(4000).optional(),
  alerts: z.array(alertSchema).min(1).max(1000),
});
export type AlertmanagerPayload = z.output<typeof alertmanagerPayloadSchema>;
