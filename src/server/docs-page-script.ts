// The renderer of GET /api/docs, kept as source text rather than as functions serialised with
// toString(): tsx and vitest transpile with helpers (`__name`) and coverage counters that do not exist
// in the browser, so only text we wrote ourselves is safe to inline. Tests evaluate this same text, so
// what is tested is what ships. Plain JS with no backticks or `${`, because it lives in String.raw.
// The renderer's two halves are docs-page-schema-script.ts and docs-page-operations-script.ts; the
// DOM side (key, fetch, search) is in docs-page.ts.
import { OPERATION_RENDER_SOURCE } from './docs-page-operations-script.js';
import { SCHEMA_RENDER_SOURCE } from './docs-page-schema-script.js';

/** Pure functions: spec in, escaped HTML out. No DOM, so Node can run them in tests. */
export const DOCS_RENDER_SOURCE =
  String.raw`
var GoosedDocs = (function () {
  'use strict';` +
  SCHEMA_RENDER_SOURCE +
  OPERATION_RENDER_SOURCE +
  String.raw`
  return { escapeHtml: esc, renderSchema: renderSchema, groupOperations: groupOperations, renderOperation: renderOperation, renderDocument: renderDocument, matchesQuery: matchesQuery };
})();
`;

export type JsonObject = Record<string, unknown>;
/** The `components` object of an OpenAPI document; refs resolve against `#/components/...`. */
export type OpenApiComponents = { schemas?: Record<string, JsonObject> } & JsonObject;
/** expand: levels of `$ref` shown inline (default 1), deeper ones are links; seen: refs the caller is already showing. */
export type RenderSchemaOptions = { expand?: number; seen?: string[] };
export type OperationEntry = { method: string; path: string; operation: JsonObject; parameters: JsonObject[] };
export type OperationGroup = { name: string; description: string; operations: OperationEntry[] };
export interface DocsRenderer {
  escapeHtml(value: unknown): string;
  renderSchema(schema: unknown, components?: OpenApiComponents, options?: RenderSchemaOptions): string;
  groupOperations(spec: JsonObject): OperationGroup[];
  renderOperation(entry: OperationEntry, components?: OpenApiComponents): string;
  renderDocument(spec: unknown): string;
  matchesQuery(text: string, query: string): boolean;
}

let renderer: DocsRenderer | undefined;

/** The browser's renderer, evaluated in Node from the very source the page inlines. */
export function loadDocsRenderer(): DocsRenderer {
  renderer ??= new Function(`${DOCS_RENDER_SOURCE}\nreturn GoosedDocs;`)() as DocsRenderer;
  return renderer;
}

export function renderSchema(schema: unknown, components?: OpenApiComponents, options?: RenderSchemaOptions): string {
  return loadDocsRenderer().renderSchema(schema, components, options);
}

export function renderApiDocument(spec: unknown): string {
  return loadDocsRenderer().renderDocument(spec);
}
