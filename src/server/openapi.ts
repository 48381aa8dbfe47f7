import { z } from 'zod';
import { QUERIES, type QueryName } from './schemas.js';

type JsonSchema = { type?: string; description?: string; properties?: Record<string, JsonSchema> } & Record<
  string,
  unknown
>;

const PATH_PARAMS: Record<string, string> = {
  symbol: 'a symbol or series id, case-insensitive',
  date: "the brief's as-of date",
  id: 'a fact id from a brief',
};
const PATH_PATTERNS: Record<string, string> = {
  date: '^\\d{4}-\\d{2}-\\d{2}$',
  id: '^[A-Za-z0-9^._:=-]{1,200}$',
};

const PROBLEM = {
  description: 'RFC 9457 problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/** One operation of the document: its route path (hono syntax), method, query schema and what it answers. */
export type Operation = {
  path: string;
  method: 'get' | 'post';
  schema: QueryName;
  summary: string;
  /** Response media types (default JSON and CSV). */
  types?: readonly string[];
  /** A POST's request body media types. */
  body?: readonly string[];
};

/** The OpenAPI 3.1 document, generated from the zod query schemas the routes validate with. */
export function openApiDocument(ops: readonly Operation[]): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    const schema = z.toJSONSchema(QUERIES[op.schema], { io: 'input' }) as JsonSchema & {
      required?: string[];
    };
    const required = new Set(schema.required ?? []);
    const parameters: unknown[] = Object.entries(schema.properties ?? {}).map(([param, s]) => {
      const { description, ...rest } = s;
      return { name: param, in: 'query', required: required.has(param), description, schema: rest };
    });
    const pathParams = [...op.path.matchAll(/:([a-z_]+)/g)].map((m) => m[1] as string);
    for (const p of pathParams.reverse())
      parameters.unshift({
        name: p,
        in: 'path',
        required: true,
        description: PATH_PARAMS[p] ?? p,
        schema: { type: 'string', pattern: PATH_PATTERNS[p] ?? '^[A-Za-z0-9^._=-]{1,24}$' },
      });
    const key = op.path.replace(/:([a-z_]+)/g, '{$1}');
    out[key] = {
      ...out[key],
      [op.method]: {
        operationId: op.method === 'get' ? op.schema : `${op.schema}_${op.method}`,
        summary: op.summary,
        parameters,
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: Object.fromEntries(op.body.map((t) => [t, { schema: { type: 'string' } }])),
              },
            }
          : {}),
        responses: {
          '200': {
            description: op.summary,
            content: Object.fromEntries((op.types ?? ['application/json', 'text/csv']).map((t) => [t, {}])),
          },
          '304': { description: 'not modified (If-None-Match)' },
          '400': PROBLEM,
          '404': PROBLEM,
          '405': PROBLEM,
          '413': PROBLEM,
          '422': PROBLEM,
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Rotation Desk API', version: 'v1' },
    paths: out,
    components: {
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            'invalid-params': {
              type: 'array',
              items: {
                type: 'object',
                properties: { name: { type: 'string' }, reason: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** The reference page: the endpoints and parameters of the generated document, as plain HTML (no script, no CDN). */
export function referencePage(doc: Record<string, unknown>): string {
  const paths = doc['paths'] as Record<
    string,
    Record<string, { summary: string; parameters: Record<string, unknown>[] }>
  >;
  const ops = Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );
  const sections = ops.map(({ path, method, op }) => {
    const rows = op.parameters
      .map(
        (p) =>
          `<tr><td><code>${esc(String(p['name']))}</code></td><td>${esc(String(p['in']))}</td><td>${p['required'] ? 'yes' : 'no'}</td><td>${esc(String(p['description'] ?? ''))}</td></tr>`,
      )
      .join('');
    return `<section><h2><code>${method.toUpperCase()} ${esc(path)}</code></h2><p>${esc(op.summary)}</p><table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>meaning</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Rotation Desk API</title></head><body><h1>Rotation Desk API v1</h1><p>The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are RFC 9457 problem JSON.</p>${sections.join('')}</body></html>`;
}
