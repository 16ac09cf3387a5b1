import { z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';

/**
 * `schema | null`, documented as `anyOf: [{$ref}, {type: "null"}]`. Calling `.nullable()` on a named
 * (`.openapi('Name')`) schema instead rewrites the shared component as nullable, so every other use
 * of it (and the typed client generated from the document) would accept null too.
 */
export const orNull = <T extends ZodType>(schema: T) => z.union([schema, z.null()]);
