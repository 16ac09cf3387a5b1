import type { ZodError } from 'zod';
import { HttpError } from './http-error.js';

const TARGET_NAMES: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header' };

/** A failed request schema becomes a 400 whose sentence names the field and what was wrong. */
export function validationHook(result: { success: boolean; target: string; error?: ZodError }): void {
  if (result.success || !result.error) return;
  const where = TARGET_NAMES[result.target] ?? result.target;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => (path ? `${path}.${key}` : key)).join(', ');
      return `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${keys}`;
    }
    return `${path || where}: ${issue.message}`;
  });
  throw new HttpError(400, 'invalid_request', `Invalid request ${where}: ${problems.join('; ')}.`);
}
