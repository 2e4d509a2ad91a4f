/**
 * The value lists the forms offer, typed by the API's own schema (api-schema.ts): each list is
 * written as a record over the API's union, so the type check fails when the API adds, renames or
 * drops a value. The web reaches the API over HTTP only and imports none of its code.
 */
import type { paths, ServiceType } from './api-schema.js';

type IntakeBody = paths['/api/requests']['post']['requestBody']['content']['application/json'];
export type Level = IntakeBody['problem']['urgency'];
export type ContactMode = NonNullable<IntakeBody['contact']['preferredContactMode']>;

/** Every value of a union, in the order written. */
const valuesOf = <V extends string>(all: Record<V, true>): V[] => Object.keys(all) as V[];

export const SERVICE_TYPES = valuesOf<ServiceType>({
  hardware_repair: true,
  software_troubleshooting: true,
  network_configuration: true,
  data_recovery: true,
  security: true,
  hardware_upgrade: true,
});
export const LEVELS = valuesOf<Level>({ low: true, medium: true, high: true, critical: true });
export const CONTACT_MODES = valuesOf<ContactMode>({ email: true, phone: true, sms: true, portal: true });
