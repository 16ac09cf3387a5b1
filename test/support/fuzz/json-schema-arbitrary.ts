// fast-check arbitraries from the JSON Schemas of goosed's OpenAPI document: values that match a
// schema (bounded in size and depth), the starting point the mutations then break.
import fc from 'fast-check';

export type JsonSchema = Record<string, any>;

export interface SchemaContext {
  /** `components.schemas` of the document, for `$ref`. */
  components: Record<string, JsonSchema>;
  /**
   * Values for fields whose random content could reach outside the test: a `command` goosed would
   * spawn, a URL it would call. Returning undefined keeps the schema's own arbitrary.
   */
  override?: (propertyName: string | undefined, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;
  maxDepth?: number;
}

const MAX_STRING = 40;
const MAX_ITEMS = 4;

export function resolveRef(schema: JsonSchema, context: SchemaContext): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    current = context.components[name] ?? {};
  }
  return current;
}

/** allOf parts merged into one object schema (the document uses allOf for "ref + description"). */
function mergeAllOf(schema: JsonSchema, context: SchemaContext): JsonSchema {
  const merged: JsonSchema = { ...schema, allOf: undefined };
  for (const part of schema.allOf as JsonSchema[]) {
    const resolved = resolveRef(part, context);
    const flat = resolved.allOf ? mergeAllOf(resolved, context) : resolved;
    for (const [key, value] of Object.entries(flat)) {
      if (key === 'properties') merged.properties = { ...merged.properties, ...value };
      else if (key === 'required') merged.required = [...(merged.required ?? []), ...value];
      else if (key !== 'description') merged[key] ??= value;
    }
  }
  return merged;
}

export function arbitraryForSchema(schema: JsonSchema, context: SchemaContext, propertyName?: string, depth = 0): fc.Arbitrary<unknown> {
  const overridden = context.override?.(propertyName, schema);
  if (overridden) return overridden;
  let resolved = resolveRef(schema, context);
  if (resolved.allOf) resolved = mergeAllOf(resolved, context);
  if (depth > (context.maxDepth ?? 6)) return fc.constant(null);

  if (resolved.const !== undefined) return fc.constant(resolved.const);
  if (Array.isArray(resolved.enum)) return fc.constantFrom(...resolved.enum);
  const choices = (resolved.oneOf ?? resolved.anyOf) as JsonSchema[] | undefined;
  if (choices) return fc.oneof(...choices.map((choice) => arbitraryForSchema(choice, context, propertyName, depth + 1)));
  if (Array.isArray(resolved.type)) {
    return fc.oneof(...resolved.type.map((type: string) => arbitraryForSchema({ ...resolved, type }, context, propertyName, depth)));
  }
  switch (resolved.type) {
    case 'string':
      return stringArbitrary(resolved);
    case 'integer':
      return fc.integer({ min: clampInt(resolved.minimum, -1e9), max: clampInt(resolved.maximum, 1e9) });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: resolved.minimum ?? -1e9, max: resolved.maximum ?? 1e9 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryForSchema(resolved.items ?? {}, context, propertyName, depth + 1), {
        minLength: resolved.minItems ?? 0,
        maxLength: Math.max(resolved.minItems ?? 0, Math.min(resolved.maxItems ?? MAX_ITEMS, MAX_ITEMS)),
      });
    case 'object':
      return objectArbitrary(resolved, context, depth);
    default:
      return resolved.properties ? objectArbitrary(resolved, context, depth) : fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, context: SchemaContext, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = arbitraryForSchema(property, context, name, depth + 1);
  const required = ((schema.required ?? []) as string[]).filter((name) => name in model);
  const known = fc.record(model, { requiredKeys: required });
  // A free-form map (`additionalProperties: {}`): a few keys of any JSON, through the override too.
  if (schema.additionalProperties && Object.keys(properties).length === 0) {
    const value = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
    return fc.dictionary(fc.string({ maxLength: 12 }), arbitraryForSchema(value, context, undefined, depth + 1), { maxKeys: MAX_ITEMS });
  }
  return known;
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? MAX_STRING, MAX_STRING));
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString());
  if (typeof schema.pattern === 'string') {
    const pattern = compilePattern(schema.pattern);
    if (pattern) return fc.stringMatching(pattern).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
  }
  return fc.string({ unit: 'binary', minLength, maxLength });
}

function compilePattern(source: string): RegExp | null {
  try {
    return new RegExp(source);
  } catch {
    return null;
  }
}

function clampInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(-(2 ** 31), Math.min(2 ** 31, Math.trunc(value))) : fallback;
}
