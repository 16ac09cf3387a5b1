import { HTTPException } from 'hono/http-exception';
import { DomainError, type DomainErrorCode } from '../api/domain-errors.js';
import type { ErrorBody } from '../api/errors.js';
import { HttpError, type ErrorStatus } from './http-error.js';

/** The one table from a domain error's code to the HTTP status it is answered with. */
const STATUS_OF: Record<DomainErrorCode, ErrorStatus> = {
  not_found: 404,
  invalid_cursor: 400,
  invalid_working_directory: 400,
  invalid_model: 400,
  provider_not_configured: 400,
  invalid_provider: 400,
  invalid_extension_config: 400,
  no_provider: 400,
  session_busy: 409,
  duplicate_message: 409,
  approval_already_resolved: 409,
  extension_exists: 409,
  shutting_down: 503,
  context_too_long: 422,
};

export interface RenderedError {
  status: ErrorStatus;
  body: ErrorBody;
  headers?: Record<string, string>;
  /** Not an error of the request: goosed's own bug, to be logged. */
  unexpected: boolean;
}

/**
 * Anything thrown, as `{error, code}` with its status: the same body for an HTTP answer, an SSE
 * stream and a WebSocket error event. What is neither a DomainError nor an HttpError is a bug: its
 * message stays in the log, the client gets `internal_error`.
 */
export function renderError(error: unknown): RenderedError {
  if (error instanceof DomainError) return { status: STATUS_OF[error.code], body: error.toBody(), unexpected: false };
  if (isParentGone(error)) return { status: 404, body: { error: 'What this request refers to was deleted while it ran.', code: 'not_found' }, unexpected: false };
  if (error instanceof HttpError) return { status: error.status, body: error.toBody(), headers: error.headers, unexpected: false };
  if (error instanceof HTTPException) return { ...fromHono(error), unexpected: false };
  return { status: 500, body: { error: 'The server hit an unexpected error; it is logged.', code: 'internal_error' }, unexpected: true };
}

/** Hono's own validators and helpers throw these; they get stable codes. */
function fromHono(error: HTTPException): { status: ErrorStatus; body: ErrorBody } {
  if (error.status === 400 && /JSON/i.test(error.message)) return { status: 400, body: { error: 'The request body is not valid JSON.', code: 'invalid_json' } };
  if (error.status === 413) return { status: 413, body: { error: 'The request body is too large.', code: 'body_too_large' } };
  if (error.status === 415) return { status: 415, body: { error: 'Send the body as JSON, with Content-Type: application/json.', code: 'unsupported_media_type' } };
  const status = error.status as ErrorStatus;
  return { status, body: { error: error.message || 'The request could not be handled.', code: status === 400 ? 'bad_request' : 'http_error' } };
}

/**
 * The codes of a foreign key that failed, in SQLite and PostgreSQL. Every foreign key of goosed's
 * tables points at a session or a message, so a write that fails one wrote into a session deleted
 * after the request found it (a request on a session racing its DELETE).
 */
const PARENT_GONE = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);

function isParentGone(error: unknown): boolean {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && PARENT_GONE.has(code);
}
