import { z } from '@hono/zod-openapi';

export const ErrorBody = z
  .object({
    error: z.string().openapi({ description: 'A sentence a person can act on.' }),
    code: z.string().openapi({ description: 'Stable snake_case identifier of the error.', example: 'not_found' }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The one error type of the server: thrown anywhere, rendered as `{error, code}` in one place. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 502 | 503,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return { error: this.message, code: this.code };
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `No ${what} with id ${JSON.stringify(id)}.`);
