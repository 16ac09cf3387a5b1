// A failed chat-completions call as the AI SDK reports it: an APICallError with the status, the
// response's headers and body, and isRetryable as the SDK decides it (408, 409, 429, 5xx), so
// provider-errors.ts classifies goosed's own reader and the SDK's adapters alike.
import { APICallError } from '@ai-sdk/provider';

export interface CallDescription {
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** An answer with an error status: the message from OpenAI's `{error: {message}}`, else the status text. */
export function openAiHttpError(status: number, statusText: string, responseBody: string, call: CallDescription): APICallError {
  let data: unknown;
  let message = statusText;
  try {
    data = JSON.parse(responseBody);
    const error = (data as { error?: { message?: unknown } } | null)?.error;
    if (typeof error?.message === 'string') message = error.message;
    else data = undefined;
  } catch {
    data = undefined;
  }
  return new APICallError({ message, url: call.url, requestBodyValues: call.body, statusCode: status, responseHeaders: call.headers, responseBody, data });
}

/** No answer at all (refused, reset, DNS): retryable, the socket error kept as the cause. */
export function openAiConnectError(cause: Error, call: CallDescription): APICallError {
  return new APICallError({ message: `Cannot connect to API: ${cause.message}`, cause, url: call.url, requestBodyValues: call.body, isRetryable: true });
}

/** An `{error}` frame inside the event stream: its status read from its code or type, as @ai-sdk/openai does. */
export function openAiStreamError(frame: unknown, call: CallDescription): APICallError {
  const error = typeof frame === 'object' && frame !== null ? (frame as { message?: unknown; code?: unknown; type?: unknown }) : {};
  const statusCode = streamErrorStatus(error.code, error.type);
  const quota = error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
  return new APICallError({
    message: typeof error.message === 'string' ? error.message : 'The stream reported an error',
    url: call.url,
    requestBodyValues: call.body,
    statusCode,
    responseHeaders: call.headers,
    responseBody: JSON.stringify({ error: frame }),
    data: { error: frame },
    isRetryable: !quota && (statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500),
  });
}

function streamErrorStatus(code: unknown, type: unknown): number {
  const numeric = typeof code === 'number' ? code : typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : NaN;
  if (Number.isInteger(numeric) && numeric >= 400 && numeric <= 599) return numeric;
  const words = [code, type].filter((value) => typeof value === 'string' || typeof value === 'number').join(' ').toLowerCase();
  if (words.includes('insufficient_quota') || words.includes('rate_limit')) return 429;
  if (words.includes('authentication')) return 401;
  if (words.includes('permission')) return 403;
  if (words.includes('not_found')) return 404;
  if (['invalid', 'bad_request', 'context_length'].some((term) => words.includes(term))) return 400;
  if (words.includes('overload')) return 503;
  if (words.includes('timeout')) return 504;
  return 500;
}
