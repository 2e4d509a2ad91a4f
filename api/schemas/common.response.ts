/**
 * Building blocks of the response schemas (`*.response.ts`): what the JSON bodies carry, as the
 * client reads them. A timestamp is its ISO string (the handlers may hand over a `Date`, which
 * JSON serialises so; see `Sendable` in api/routing.ts).
 */
import { z } from 'zod';
import {
  ACTOR_TYPES,
  CLIENT_STATUSES,
  PRIORITIES,
  REQUEST_STATUSES,
  SERVICE_TYPES,
} from '../../workflows/intervention/intervention.contract.js';
import { ROLES } from '../routing.js';

/** An instant as JSON carries it (ISO 8601). */
export const instant = z.string().meta({ format: 'date-time' });
/** A calendar date, `YYYY-MM-DD`. */
export const calendarDate = z.string().meta({ format: 'date' });
/** A PostgreSQL numeric, read as a string to keep exact decimals. */
export const decimal = z.string().meta({ description: 'decimal number as a string (exact)' });
/** A JSON object stored as is (details, payloads). */
export const jsonObject = z.record(z.string(), z.unknown());

export const requestStatus = z.enum(REQUEST_STATUSES).meta({ id: 'RequestStatus' });
export const clientStatus = z.enum(CLIENT_STATUSES).meta({ id: 'ClientStatus' });
export const priority = z.enum(PRIORITIES).meta({ id: 'Priority' });
export const serviceType = z.enum(SERVICE_TYPES).meta({ id: 'ServiceType' });
export const actorType = z.enum(ACTOR_TYPES).meta({ id: 'ActorType' });
export const role = z.enum(ROLES).meta({ id: 'Role' });

/** `{ items: [...] }`, the shape of every list. */
export const itemsOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item) });
