/**
 * Every route of the table declares what it answers: a JSON schema per success status, or the
 * content type of what it streams; the OpenAPI document carries those schemas. (That the answers
 * really match is checked by every integration test: see scripts/testing/response-check.ts.)
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DB } from '../../db/index.js';
import { apiRoutes } from '../app.js';
import { buildOpenApi } from '../openapi.js';
import { checkResponseBody, route } from '../routing.js';

const routes = apiRoutes({ db: {} as Kysely<DB>, temporal: {} as Client });
const name = (spec: (typeof routes)[number]) => `${spec.method.toUpperCase()} ${spec.path}`;
/** Answers without a body: no content, redirects. */
const bodiless = (status: number) => status === 204 || (status >= 300 && status < 400);

describe('response declarations', () => {
  it('every JSON route has a schema for each success status it documents, and only for success statuses', () => {
    const problems: string[] = [];
    for (const spec of routes) {
      const documented = Object.keys(spec.responses ?? { 200: 'OK' })
        .map(Number)
        .filter((s) => s >= 200 && s < 400 && !bodiless(s));
      const declared = Object.keys(spec.response ?? {}).map(Number);
      if (spec.produces) {
        if (declared.length > 0) problems.push(`${name(spec)} produces ${spec.produces} and declares a JSON response`);
        continue;
      }
      for (const status of documented) if (!declared.includes(status)) problems.push(`${name(spec)}: no schema for ${status}`);
      for (const status of declared) if (status < 200 || status >= 300) problems.push(`${name(spec)}: schema for non-2xx ${status}`);
      const answers = [
        ...declared,
        ...Object.keys(spec.responses ?? {})
          .map(Number)
          .filter(bodiless),
      ];
      if (answers.length === 0) problems.push(`${name(spec)}: declares no success answer`);
    }
    expect(problems).toEqual([]);
  });

  it('the OpenAPI document gives every JSON success answer a schema, and every $ref resolves', () => {
    const doc = buildOpenApi(routes, { version: 'test' });
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, { responses: Record<string, any> }>)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const json = response.content?.['application/json'];
          if (status.startsWith('2') && json && !json.schema) missing.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!));
    expect([...refs].filter((ref) => !(ref in doc.components.schemas))).toEqual([]);
    expect(text).not.toContain('#/$defs/');
    expect(doc.components.schemas).toHaveProperty('InterventionState');
  });
});

describe('checkResponseBody', () => {
  const spec = route({
    method: 'get',
    path: '/things',
    tag: 'test',
    summary: 'test',
    access: 'public',
    response: { 200: z.object({ at: z.string(), count: z.number() }) },
    handler() {},
  });

  it('accepts a body as JSON serialises it (a Date is its ISO string)', () => {
    expect(checkResponseBody(spec, 200, { at: new Date(0), count: 1 })).toBeNull();
  });

  it('names the field that differs', () => {
    expect(checkResponseBody(spec, 200, { at: 'x', count: '1' })).toEqual({
      method: 'get',
      path: '/things',
      status: 200,
      problems: ['count: Invalid input: expected number, received string'],
    });
  });

  it('refuses a success status without a schema, and leaves error bodies to the error vocabulary', () => {
    expect(checkResponseBody(spec, 201, {})?.problems).toEqual(['status 201 has no declared response schema']);
    expect(checkResponseBody(spec, 404, { error: {} })).toBeNull();
  });
});
