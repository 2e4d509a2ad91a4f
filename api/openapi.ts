/**
 * The OpenAPI 3.1 document, generated from the route table's zod schemas (zod's own JSON Schema
 * output is draft 2020-12, which is OpenAPI 3.1's dialect), so the document cannot drift from
 * what the API validates.
 */
import { z } from 'zod';
import type { RouteSpec } from './routing.js';

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/**
 * A response schema as the document carries it: schemas named with `.meta({ id })` (reused ones,
 * e.g. `InterventionState`) become components, referenced wherever they appear.
 */
function responseSchema(schema: z.ZodType, components: Record<string, unknown>): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  const { $schema: _drop, $defs, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  const toComponents = (json: unknown) =>
    JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
  for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, unknown>)) components[name] ??= toComponents(definition);
  if (!id) return toComponents(rest);
  components[id] ??= toComponents(rest);
  return { $ref: `#/components/schemas/${id}` };
}

function parameters(spec: RouteSpec<any, any, any>) {
  const out: Array<Record<string, unknown>> = [];
  for (const [location, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: location, required: location === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  return out;
}

export function buildOpenApi(routes: readonly RouteSpec<any, any, any>[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, unknown> = {};
  for (const spec of routes) {
    const path = `/api${spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    const responses: Record<string, unknown> = {};
    const described: Record<string, string> = { ...(spec.responses ?? (spec.response ? {} : { 200: 'OK' })) };
    for (const status of Object.keys(spec.response ?? {})) described[status] ??= 'OK';
    for (const [status, description] of Object.entries(described).sort(([a], [b]) => Number(a) - Number(b))) {
      const schema = spec.response?.[Number(status)];
      if (Number(status) < 300 && spec.produces) responses[status] = { description, content: { [spec.produces]: {} } };
      else if (schema) responses[status] = { description, content: { 'application/json': { schema: responseSchema(schema, components) } } };
      else if (Number(status) === 204 || (Number(status) >= 300 && Number(status) < 400)) responses[status] = { description };
      else responses[status] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    responses.default = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    paths[path] ??= {};
    paths[path][spec.method] = {
      operationId: `${spec.method}${spec.path.replace(/[:/]+([a-z])/gi, (_m, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')}`,
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.access === 'public' ? { security: [] } : { 'x-roles': spec.access }),
      parameters: parameters(spec),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Intervention platform API', version: info.version },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: {
        ...Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                fields: {
                  type: 'array',
                  items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sid' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
  };
}
