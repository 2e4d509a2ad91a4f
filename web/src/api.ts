/**
 * The platform API client: openapi-fetch over the types generated from the route table
 * (api-schema.ts, `npm run gen:api-types`), so a page cannot call a path that does not exist or
 * misread a payload. Same-origin session cookie; errors carry the API's code, message and fields.
 */
import createClient from 'openapi-fetch';
import type { Error as ErrorBody, paths } from './api-schema.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Array<{ field: string; message: string }> = [],
    /** The rest of the error body (e.g. an override's reason code and French/English messages). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const client = createClient<paths>({ credentials: 'same-origin' });

/** The data of a call, or an ApiError (its `fields` are shown next to the form's inputs). */
export async function call<D>(request: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await request;
  if (!response.ok) {
    // Any error body is the API's one vocabulary; a proxy's HTML page (no `error`) keeps the HTTP status text.
    const { code, message, fields, ...details } = (typeof error === 'object' && error
      ? (error as Partial<ErrorBody>).error
      : undefined) ?? {
      code: 'http_error',
      message: response.statusText,
    };
    throw new ApiError(response.status, code, message, (fields ?? []) as ApiError['fields'], details);
  }
  return data as D;
}
