/**
 * An API field error next to its input: `<input name="title" {...invalid(error, 'title')} />` then
 * `<FieldError error={error} field="title" />` inside the same label. The input is marked
 * aria-invalid and described by the message, so a screen reader reads the error with the field.
 */
import type { ApiError } from './api.js';

const idOf = (field: string) => `field-error-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The API's message for a field (its path, e.g. `contact.email`), if it refused that field. */
export function fieldMessage(error: ApiError | null, field: string): string | undefined {
  return error?.fields.find((f) => f.field === field)?.message;
}

/** The attributes that tie an input to its error. */
export function invalid(error: ApiError | null, field: string): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return fieldMessage(error, field) ? { 'aria-invalid': true, 'aria-describedby': idOf(field) } : {};
}

export function FieldError({ error, field }: { error: ApiError | null; field: string }) {
  const message = fieldMessage(error, field);
  return message ? (
    <span class="field-error" id={idOf(field)}>
      {message}
    </span>
  ) : null;
}
