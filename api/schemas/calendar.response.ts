import { z } from 'zod';
import { instant, itemsOf } from './common.response.js';

/** A technician's calendar subscription, without its secret. */
export const calendarFeedSchema = z
  .object({ id: z.string(), technicianId: z.string(), createdAt: instant, revokedAt: instant.nullable() })
  .meta({ id: 'CalendarFeed' });

export const calendarFeedListSchema = itemsOf(calendarFeedSchema);

/** A new subscription: the only time its URL (which holds the secret) is shown. */
export const calendarFeedCreatedSchema = calendarFeedSchema
  .extend({
    /** https URL of the iCalendar feed. */
    url: z.string(),
    /** The same as webcal://, which calendar applications open as a subscription. */
    webcalUrl: z.string(),
  })
  .meta({ id: 'CalendarFeedCreated' });
