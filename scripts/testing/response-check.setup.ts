/** Integration setup file: a test file fails when one of its API answers broke its declared schema. */
import { afterAll, expect } from 'vitest';
import { responseMismatches } from './response-check.js';

afterAll(() => {
  expect(responseMismatches, 'JSON answers that do not match their route’s declared response schema').toEqual([]);
});
