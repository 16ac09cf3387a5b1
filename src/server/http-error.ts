import type { ErrorBody } from '../api/errors.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 502 | 503;

/**
 * An answer decided by the HTTP layer itself (a missing key, a refused origin, a body too large, a
 * failed validation), thrown anywhere in server/ and rendered in one place. Errors from below
 * server/ are DomainErrors instead; error-status.ts gives them their status.
 */
export class HttpError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ErrorBody {
    return { error: this.message, code: this.code };
  }
}
