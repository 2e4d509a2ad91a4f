import { z } from 'zod';
import { instant } from './common.response.js';

export const notificationSchema = z
  .object({
    id: z.uuid(),
    requestId: z.uuid().nullable(),
    ticketNumber: z.string().nullable(),
    title: z.string(),
    body: z.string(),
    createdAt: instant,
    readAt: instant.nullable(),
  })
  .meta({ id: 'Notification' });

export const notificationListSchema = z
  .object({ items: z.array(notificationSchema), unread: z.number().int() })
  .meta({ id: 'NotificationList' });

export const markedReadSchema = z.object({ marked: z.number().int(), unread: z.number().int() }).meta({ id: 'NotificationsMarked' });
