import type { ZodType } from 'zod';
import { ErrorBody } from '../../api/errors.js';

const ERROR_DESCRIPTIONS = {
  400: 'Invalid input',
  401: 'The secret key is missing or wrong',
  403: 'Host, Origin or a request from another site not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Well-formed, but cannot be carried out (context_too_long: the conversation does not fit the model even compacted)',
  502: 'The provider failed',
} as const;

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The `{error, code}` responses a route can give, for its OpenAPI entry. */
export function errorResponses(...statuses: ErrorStatus[]) {
  const responses: Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }> = {};
  for (const status of [...statuses, 401, 403] as ErrorStatus[]) {
    responses[status] = { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorBody } } };
  }
  return responses;
}

export function jsonContent<T extends ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** Paging travels in headers (the bodies stay plain arrays, as the seed shows). */
export function pageHeaders(path: string, query: Record<string, string | number | undefined>, nextCursor: string | null): Record<string, string> {
  if (!nextCursor) return {};
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && key !== 'cursor') params.set(key, String(value));
  params.set('cursor', nextCursor);
  return { 'X-Next-Cursor': nextCursor, Link: `<${path}?${params}>; rel="next"` };
}
