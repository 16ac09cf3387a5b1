import { z } from '@hono/zod-openapi';

export const ErrorBody = z
  .object({
    error: z.string().openapi({ description: 'A sentence a person can act on.' }),
    code: z.string().openapi({ description: 'Stable snake_case identifier of the error.', example: 'not_found' }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;
