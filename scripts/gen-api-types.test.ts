/** The committed web API types are those the route table produces today (`npm run gen:api-types`). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from './gen-api-types.js';

describe('web/src/api-schema.ts', () => {
  it('is up to date with the route table (run `npm run gen:api-types` after changing a route or schema)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8') === (await apiTypesSource())).toBe(true);
  });
});
