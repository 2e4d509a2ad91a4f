/** What the reference-data routes answer: clients with their sites, technicians, parts, the outbox. */
import { z } from 'zod';
import { instant, itemsOf } from './common.response.js';

export const clientLocationSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    name: z.string(),
    addressLine1: z.string(),
    postalCode: z.string(),
    city: z.string(),
    departmentCode: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
  })
  .meta({ id: 'ClientLocation' });

export const clientSchema = z
  .object({
    id: z.string(),
    companyName: z.string(),
    siren: z.string().nullable(),
    city: z.string().nullable(),
    industry: z.string().nullable(),
    locations: z.array(clientLocationSchema),
    contracts: z.array(
      z.object({
        id: z.string(),
        clientId: z.string(),
        reference: z.string(),
        name: z.string(),
        kind: z.enum(['standard', 'premium', 'flat_rate', 'time_and_materials']),
        coverage: z.enum(['business_hours', '24_7']),
      }),
    ),
  })
  .meta({ id: 'Client' });
export const clientListSchema = itemsOf(clientSchema);

export const technicianSchema = z
  .object({
    id: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    level: z.enum(['N1', 'N2', 'N3']),
    homeAddress: z.string(),
    homeLatitude: z.number(),
    homeLongitude: z.number(),
    /** numeric(2,1), as a string. */
    rating: z.string().nullable(),
    active: z.boolean(),
    skills: z.array(z.object({ skill: z.string(), level: z.number() })),
  })
  .meta({ id: 'Technician' });
export const technicianListSchema = itemsOf(technicianSchema);

export const partPageSchema = z.object({
  items: z.array(z.object({ sku: z.string(), label: z.string() }).meta({ id: 'Part' })),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});

export const outboxSchema = itemsOf(
  z
    .object({
      id: z.string(),
      requestId: z.string().nullable(),
      fromAddress: z.string(),
      toAddresses: z.array(z.string()),
      subject: z.string(),
      textBody: z.string(),
      status: z.enum(['pending', 'sent', 'stored', 'failed']),
      transport: z.enum(['smtp', 'outbox']),
      createdAt: instant,
      sentAt: instant.nullable(),
      /** The calendar invite the message carries (download it from /outbox/{id}/invite.ics), or null. */
      icalMethod: z.enum(['REQUEST', 'CANCEL', 'PUBLISH']).nullable(),
    })
    .meta({ id: 'OutboundMessage' }),
);
