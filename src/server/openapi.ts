import { z } from 'zod';
import { QUERIES, type QueryName } from './schemas.js';

type JsonSchema = { type?: string; description?: string; properties?: Record<string, JsonSchema> } & Record<
  string,
  unknown
>;

/** `/api/v1/show/:symbol` → the schema name `show` and the OpenAPI path `/api/v1/show/{symbol}`. */
function nameOf(path: string): QueryName {
  return path.split('/')[3] as QueryName;
}

const PROBLEM = {
  description: 'RFC 9457 problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/** The OpenAPI 3.1 document, generated from the zod query schemas the routes validate with. */
export function openApiDocument(paths: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const name = nameOf(path);
    const schema = z.toJSONSchema(QUERIES[name], { io: 'input' }) as JsonSchema & { required?: string[] };
    const required = new Set(schema.required ?? []);
    const parameters: unknown[] = Object.entries(schema.properties ?? {}).map(([param, s]) => {
      const { description, ...rest } = s;
      return { name: param, in: 'query', required: required.has(param), description, schema: rest };
    });
    const pathParams = [...path.matchAll(/:([a-z_]+)/g)].map((m) => m[1] as string);
    for (const p of pathParams)
      parameters.unshift({
        name: p,
        in: 'path',
        required: true,
        description: 'a symbol or series id, case-insensitive',
        schema: { type: 'string', pattern: '^[A-Za-z0-9^._=-]{1,24}$' },
      });
    out[path.replace(/:([a-z_]+)/g, '{$1}')] = {
      get: {
        operationId: name,
        summary: `the JSON of \`rotation ${name} --format json\``,
        parameters,
        responses: {
          '200': {
            description: `as \`rotation ${name} --format json\`; CSV with format=csv or Accept: text/csv`,
            content: { 'application/json': {}, 'text/csv': {} },
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
    { get: { summary: string; parameters: Record<string, unknown>[] } }
  >;
  const sections = Object.entries(paths).map(([path, item]) => {
    const rows = item.get.parameters
      .map(
        (p) =>
          `<tr><td><code>${esc(String(p['name']))}</code></td><td>${esc(String(p['in']))}</td><td>${p['required'] ? 'yes' : 'no'}</td><td>${esc(String(p['description'] ?? ''))}</td></tr>`,
      )
      .join('');
    return `<section><h2><code>GET ${esc(path)}</code></h2><p>${esc(item.get.summary)}</p><table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>meaning</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Rotation Desk API</title></head><body><h1>Rotation Desk API v1</h1><p>The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are RFC 9457 problem JSON.</p>${sections.join('')}</body></html>`;
}
