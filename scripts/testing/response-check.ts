/**
 * Every app under test checks its JSON answers against the route table's response schemas: a
 * mismatch is answered as a 500 `response_schema_mismatch` (the test that made the call fails)
 * and recorded here, and `response-check.setup.ts` fails the test file if any was recorded
 * (a test that did not look at the status still fails).
 */
import type { ResponseMismatch } from '../../api/routing.js';

/** The mismatches of the current test file. */
export const responseMismatches: ResponseMismatch[] = [];

/** `checkResponses` of every app built by the tests (createApp / startTestPlatform). */
export const enforceResponseSchemas = {
  mode: 'enforce' as const,
  onMismatch(mismatch: ResponseMismatch) {
    console.error(`response schema mismatch: ${JSON.stringify(mismatch)}`);
    responseMismatches.push(mismatch);
  },
};
