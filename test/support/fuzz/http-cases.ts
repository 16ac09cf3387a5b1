// Requests generated from the OpenAPI document: every path and method, parameters and bodies made
// from their schemas, then broken in the ways clients (and attackers) break them.
import fc from 'fast-check';
import { arbitraryForSchema, resolveRef, type JsonSchema, type SchemaContext } from './json-schema-arbitrary.js';
import { deepJson, hostileIdArbitrary, hostileStringArbitrary, invalidUtf8, percentEncode, wrongContentTypes } from './hostile-values.js';
import type { RawRequest } from './raw-http.js';

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/api/sessions/{id}`. */
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema }[];
  body: JsonSchema | null;
  /** The WebSocket upgrade route: fuzzed as frames, not as plain requests. */
  webSocket: boolean;
}

export interface HttpCase extends RawRequest {
  operation: string;
  /** How the request was broken (for the report and for reproducing a failure). */
  mutation: string;
}

/** Ids that exist on the server when a batch is generated, so that cases reach past the 404. */
export interface KnownIds {
  [parameterName: string]: readonly string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'] as const;

export function operationsOf(document: JsonSchema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, JsonSchema>)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const body = operation.requestBody?.content?.['application/json']?.schema ?? null;
      operations.push({ method: method.toUpperCase(), path, parameters: operation.parameters ?? [], body, webSocket: Boolean(operation['x-websocket']) });
    }
  }
  return operations;
}

type BodyMutation = 'valid' | 'wrong_root_type' | 'wrong_field_type' | 'missing_field' | 'extra_fields' | 'hostile_field' | 'huge_string' | 'over_limit' | 'deep_nesting' | 'invalid_utf8' | 'not_json' | 'empty';

const bodyMutation: fc.Arbitrary<BodyMutation> = fc.oneof(
  { weight: 100, arbitrary: fc.constantFrom<BodyMutation>(
    'valid', 'valid', 'valid', 'wrong_root_type', 'wrong_field_type', 'wrong_field_type', 'missing_field', 'missing_field', 'extra_fields',
    'extra_fields', 'hostile_field', 'hostile_field', 'huge_string', 'deep_nesting', 'invalid_utf8', 'not_json', 'empty',
  ) },
  // Rare: each one is 10 MiB on the wire.
  { weight: 1, arbitrary: fc.constant<BodyMutation>('over_limit') },
);

export function httpCaseArbitrary(operations: Operation[], context: SchemaContext, port: number, known: KnownIds, bodyLimitBytes: number): fc.Arbitrary<HttpCase> {
  const perOperation = operations.filter((op) => !op.webSocket).map((op) => operationCase(op, context, port, known, bodyLimitBytes));
  return fc.oneof(...perOperation);
}

function operationCase(op: Operation, context: SchemaContext, port: number, known: KnownIds, bodyLimitBytes: number): fc.Arbitrary<HttpCase> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const pathValues = fc.tuple(...pathParams.map((p) => pathValue(p.name, p.schema, context, known)));
  const queryValues = fc.tuple(...queryParams.map((p) => fc.option(queryValue(p.schema, context), { freq: 2 })));
  const headerValues = fc.tuple(...headerParams.map((p) => fc.option(headerValue(p.schema, context), { freq: 2 })));
  const body = op.body ? bodyCase(op.body, context, bodyLimitBytes) : fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: bodyCase({}, context, bodyLimitBytes) });
  return fc
    .record({
      pathValues, queryValues, headerValues, body,
      method: fc.oneof({ weight: 12, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS.map((m) => m.toUpperCase())) }),
      extraQuery: rarely(fc.tuple(fc.constantFrom('after', 'limit', 'x', '__proto__', 'q', 'cursor'), hostileStringArbitrary)),
      pathTwist: fc.constantFrom('', '', '', '', '', '', '', '', '', '', '', '', '/', '//', '/..', '/%2e%2e', '/x'),
      host: fc.oneof({ weight: 30, arbitrary: fc.constant(`127.0.0.1:${port}`) }, { weight: 1, arbitrary: fc.constantFrom('evil.example', '', `localhost:${port}@evil.example`, 'x'.repeat(2000), `127.0.0.1:${port}, evil.example`) }),
      origin: rarely(fc.constantFrom('http://evil.example', 'null', `http://127.0.0.1:${port}`, 'file://')),
      authorization: rarely(fc.constantFrom('Bearer ', 'Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer ' + 'k'.repeat(5000))),
    })
    .map((parts) => {
      let path = op.path;
      pathParams.forEach((param, index) => (path = path.replace(`{${param.name}}`, parts.pathValues[index])));
      const query: string[] = [];
      queryParams.forEach((param, index) => {
        const value = parts.queryValues[index];
        if (value !== null) query.push(`${param.name}=${value}`);
      });
      if (parts.extraQuery) query.push(`${parts.extraQuery[0]}=${percentEncode(parts.extraQuery[1])}`);
      const headers: Record<string, string> = { host: parts.host };
      headerParams.forEach((param, index) => {
        const value = parts.headerValues[index];
        if (value !== null) headers[param.name] = value;
      });
      if (parts.origin) headers.origin = parts.origin;
      if (parts.authorization) headers.authorization = parts.authorization;
      let mutation = parts.body?.mutation ?? 'no_body';
      if (parts.body?.contentType !== undefined && parts.body.contentType !== null) headers['content-type'] = parts.body.contentType;
      if (parts.method !== op.method) mutation += `+method:${parts.method}`;
      return {
        operation: `${op.method} ${op.path}`,
        mutation,
        method: parts.method,
        target: path + parts.pathTwist + (query.length ? `?${query.join('&')}` : ''),
        headers,
        body: parts.body?.bytes,
      };
    });
}

/** Present in about one case in ten (most requests should get past the origin check to the route). */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

function pathValue(name: string, schema: JsonSchema, context: SchemaContext, known: KnownIds): fc.Arbitrary<string> {
  const ids = known[name] ?? [];
  const fromSchema = arbitraryForSchema(schema, context, name).map((value) => percentEncode(String(value)));
  const options = [
    { weight: 3, arbitrary: hostileIdArbitrary },
    { weight: 1, arbitrary: fromSchema },
  ];
  if (ids.length > 0) options.push({ weight: 5, arbitrary: fc.constantFrom(...ids).map(percentEncode) });
  return fc.oneof(...options);
}

function queryValue(schema: JsonSchema, context: SchemaContext): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: arbitraryForSchema(schema, context).map((value) => percentEncode(String(value))) },
    { weight: 1, arbitrary: fc.constantFrom('-1', '1.5', '1e400', 'abc', '', '0x10', '99999999999999999999', '%ff', '%00', 'NaN', '[]') },
    { weight: 1, arbitrary: hostileStringArbitrary.map(percentEncode) },
  );
}

function headerValue(schema: JsonSchema, context: SchemaContext): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: arbitraryForSchema(schema, context).map((value) => latin1HeaderValue(String(value))) },
    // Header values are latin1 on the wire: raw bytes above 0x7F arrive as such.
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '-1', '1e400', 'x'.repeat(8000), '\u00ff\u00fe', '99999999999999999999', '0', '../../x') },
  );
}

interface BodyCase {
  mutation: BodyMutation;
  bytes: Buffer | undefined;
  contentType: string | null;
}

function bodyCase(schema: JsonSchema, context: SchemaContext, bodyLimitBytes: number): fc.Arbitrary<BodyCase> {
  const valid = arbitraryForSchema(schema, context);
  const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant<string | null>('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...wrongContentTypes) });
  return fc
    .record({ mutation: bodyMutation, valid, contentType, junk: fc.jsonValue({ maxDepth: 3 }), hostile: hostileStringArbitrary, pick: fc.nat(), extraKey: fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'seq', 'id', 'status', 'role') })
    .chain((parts) => {
      const mutated = mutateBody(parts.mutation, parts.valid, parts, bodyLimitBytes, resolveRef(schema, context));
      return fc.constant({ mutation: parts.mutation, bytes: mutated, contentType: parts.contentType });
    });
}

function mutateBody(
  mutation: BodyMutation, value: unknown, parts: { junk: unknown; hostile: string; pick: number; extraKey: string }, bodyLimitBytes: number, schema: JsonSchema,
): Buffer | undefined {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8');
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : null;
  const keys = object ? Object.keys(object) : [];
  const someKey = keys.length ? keys[parts.pick % keys.length] : (Object.keys(schema.properties ?? {})[0] ?? 'content');
  switch (mutation) {
    case 'valid':
      return json(value);
    case 'wrong_root_type':
      return json(parts.junk);
    case 'wrong_field_type':
      return json({ ...object, [someKey]: Array.isArray(parts.junk) || typeof parts.junk !== typeof object?.[someKey] ? parts.junk : [parts.junk] });
    case 'missing_field': {
      if (!object) return json({});
      delete object[someKey];
      return json(object);
    }
    case 'extra_fields': {
      // Written as text: `__proto__` as an object key in JS would set the prototype instead.
      const base = JSON.stringify(object ?? {});
      const extra = `${JSON.stringify(parts.extraKey)}:${JSON.stringify(parts.junk) ?? 'null'}`;
      return Buffer.from(base === '{}' ? `{${extra}}` : `${base.slice(0, -1)},${extra}}`, 'utf8');
    }
    case 'hostile_field':
      return json({ ...object, [someKey]: parts.hostile });
    case 'huge_string':
      return json({ ...object, [someKey]: 'x'.repeat(1_000_000 + (parts.pick % 1000)) });
    case 'over_limit':
      return Buffer.alloc(bodyLimitBytes + 1024, 0x20);
    case 'deep_nesting': {
      const depth = [100, 1000, 10_000, 100_000][parts.pick % 4];
      const nested = deepJson(depth, parts.pick % 2 === 0 ? 'array' : 'object');
      const base = JSON.stringify(object ?? {});
      // Deep at the root, or deep inside one field.
      return Buffer.from(parts.pick % 3 === 0 ? nested : base === '{}' ? `{"${someKey}":${nested}}` : `${base.slice(0, -1)},"${someKey}":${nested}}`, 'utf8');
    }
    case 'invalid_utf8': {
      const bad = invalidUtf8[parts.pick % invalidUtf8.length];
      const text = JSON.stringify({ ...object, [someKey]: 'before-AFTER' });
      const at = text.indexOf('before-') + 'before-'.length;
      return Buffer.concat([Buffer.from(text.slice(0, at), 'utf8'), bad, Buffer.from(text.slice(at), 'utf8')]);
    }
    case 'not_json':
      return Buffer.from(['{', '{"a":', '[1,2', '{"content": "x"', 'undefined', "{'a': 1}", '{"a":1}}', '\u0000', parts.hostile][parts.pick % 9], 'utf8');
    case 'empty':
      return Buffer.alloc(0);
  }
}

/** Header bytes are latin1: characters beyond it, and CR/LF (which would end the header), become `?`. */
function latin1HeaderValue(value: string): string {
  return value.replace(/[\r\n]|[^\u0000-\u00ff]/gu, '?');
}
