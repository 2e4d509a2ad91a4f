/**
 * Text PostgreSQL cannot store never enters the API. A NUL character (U+0000) is refused by
 * `text` and `jsonb` columns alike, and an unpaired UTF-16 surrogate (U+D800–U+DFFF) is not
 * Unicode at all: `jsonb` refuses it, a `text` column silently gets U+FFFD instead. Either one,
 * accepted at the edge, fails later, in an activity that retries for ever and freezes the
 * intervention. So every string of a request (path parameters, query, JSON body at any depth,
 * object keys included) is checked here once, by the route mounting, before any schema runs:
 * no route can forget it.
 *
 * The same walk bounds nesting: no JSON body of this API is deeper than a few levels, and
 * recursive code further on (schemas, hashing, audit) must never meet a value deep enough to
 * exhaust the stack.
 */
import { HttpError, type FieldError } from './errors.js';

/** Deepest nesting accepted in a request part (the deepest real body is 4 levels). */
export const MAX_INPUT_DEPTH = 32;

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
// eslint-disable-next-line no-control-regex -- matching NUL (U+0000) is the point of this pattern
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored as PostgreSQL text, or null when it can. */
export function unstorableText(text: string): string | null {
  const found = UNSTORABLE.exec(text);
  if (!found) return null;
  return found[0] === '\u0000' ? 'contains a NUL character (U+0000)' : 'contains an unpaired surrogate (not valid Unicode)';
}

/** A key as it can be shown in a field name (the offending characters replaced by U+FFFD). */
const printable = (key: string) => key.replace(new RegExp(UNSTORABLE.source, 'g'), '\ufffd');

/**
 * Every string (and object key) of `value` that PostgreSQL cannot store, and every place nested
 * deeper than MAX_INPUT_DEPTH, as field errors named from `part` (`body.reason`,
 * `query.status`, `params.ticket`). Iterative, so no input depth can overflow the stack here.
 */
export function unstorableFields(value: unknown, part: string, limit = 20): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; field: string; depth: number }[] = [{ value, field: part, depth: 0 }];
  while (stack.length > 0 && errors.length < limit) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const reason = unstorableText(item.value);
      if (reason) errors.push({ field: item.field, message: reason });
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_INPUT_DEPTH) {
      errors.push({ field: item.field, message: `nested deeper than ${MAX_INPUT_DEPTH} levels` });
      continue;
    }
    const entries: [string, unknown][] = Array.isArray(item.value)
      ? item.value.map((v, i) => [String(i), v])
      : Object.keys(item.value).map((k) => [k, (item.value as Record<string, unknown>)[k]]);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const field = `${item.field}.${printable(key)}`;
      const keyReason = Array.isArray(item.value) ? null : unstorableText(key);
      if (keyReason) errors.push({ field, message: `its name ${keyReason}` });
      else stack.push({ value: child, field, depth: item.depth + 1 });
    }
  }
  return errors.slice(0, limit);
}

/** Refuses (400 naming each field) a request whose params, query or body hold such text or depth. */
export function refuseUnstorableInput(parts: { params?: unknown; query?: unknown; body?: unknown }): void {
  const fields = Object.entries(parts).flatMap(([part, value]) => unstorableFields(value, part));
  if (fields.length === 0) return;
  throw new HttpError(400, 'validation_failed', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}
