import type { ZodError } from 'zod';
import { issueSentences } from '../api/issue-sentences.js';
import { HttpError } from './http-error.js';

const TARGET_NAMES: Record<string, string> = { json: 'request body', query: 'query', param: 'path', header: 'headers' };

/** A failed request schema becomes a 400 whose sentence names each wrong field and what it must be. */
export function validationHook(result: { success: boolean; target: string; error?: ZodError; data?: unknown }): void {
  if (result.success || !result.error) return;
  const where = TARGET_NAMES[result.target] ?? result.target;
  const problems = issueSentences(result.error.issues, { root: 'it', input: result.data });
  throw new HttpError(400, 'invalid_request', `The ${where} is not valid: ${problems}.`);
}
