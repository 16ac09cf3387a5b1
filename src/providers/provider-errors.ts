// Turns whatever the AI SDK threw (or put in an `error` stream part) into a decision the agent can
// act on, retry or stop, and a sentence a person can read. Errors are recognised by shape and by
// the SDK's own markers, so this file loads no SDK code.
import { STATUS_CODES } from 'node:http';
import { isSecretParam, maskUrlSecretsInText } from '../api/secret-mask.js';
import type { ProviderName } from '../api/provider-names.js';
import { getProviderInfo } from './catalog.js';
import { contextRefusalOf, type ContextRefusal } from './context-refusal.js';

export type ProviderErrorCode =
  | 'provider_auth_failed'
  | 'provider_rate_limited'
  | 'provider_unavailable'
  | 'provider_not_found'
  | 'provider_bad_request'
  | 'provider_connection_failed'
  | 'provider_invalid_response'
  | 'provider_not_configured'
  | 'provider_cancelled'
  | 'provider_timeout'
  | 'provider_context_exceeded'
  | 'provider_error';

export interface ProviderErrorInfo {
  retryable: boolean;
  /** The HTTP status the provider answered, when it answered with an error status. */
  status?: number;
  /** From `retry-after-ms` / `retry-after`, when the provider said how long to wait. */
  retryAfterMs?: number;
  code: ProviderErrorCode;
  /** Never contains the API key. */
  message: string;
  /** Set when the provider refused the prompt for its length (code provider_context_exceeded). */
  contextRefusal?: ContextRefusal;
}

// Socket-level failures that a second attempt may well survive.
const transientNetworkCodes = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);
const unreadableResponseErrors = new Set(['AI_JSONParseError', 'AI_TypeValidationError', 'AI_InvalidResponseDataError', 'AI_EmptyResponseBodyError', 'AI_IncompleteAnswerError']);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  statusCode?: unknown;
  isRetryable?: unknown;
  responseHeaders?: unknown;
}

export function classifyProviderError(error: unknown, options: { apiKey?: string; provider?: ProviderName } = {}): ProviderErrorInfo {
  const who = options.provider ? getProviderInfo(options.provider).displayName : 'The model provider';
  const scrub = (text: string) => scrubSecrets(text, options.apiKey);
  let current = error as ErrorLike | null | undefined;
  if (!current || typeof current !== 'object') {
    return { retryable: false, code: 'provider_error', message: `${who} failed: ${scrub(String(error))}.` };
  }

  const name = String(current.name ?? '');
  const detail = describeDetail(current, scrub);
  if (name === 'AbortError' || name === 'ResponseAborted') {
    return { retryable: false, code: 'provider_cancelled', message: `The request to ${who} was cancelled.` };
  }
  if (name === 'TimeoutError') {
    return { retryable: true, code: 'provider_connection_failed', message: `The request to ${who} timed out.` };
  }
  if (name === 'AI_LoadAPIKeyError' || name === 'ProviderConfigError') {
    return { retryable: false, code: 'provider_not_configured', message: scrub(String(current.message)) };
  }

  const status = typeof current.statusCode === 'number' && current.statusCode >= 400 ? current.statusCode : undefined;
  if (status !== undefined) {
    const retryAfterMs = retryAfterFromHeaders(current.responseHeaders);
    const withWait = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (status === 401 || status === 403) {
      return { retryable: false, status, code: 'provider_auth_failed', message: `${who} rejected the API key (HTTP ${status})${detail}. Check the key configured for this provider.` };
    }
    if (status === 429) {
      return { retryable: true, status, ...withWait, code: 'provider_rate_limited', message: `${who} is limiting requests (HTTP 429)${detail}.` };
    }
    if (status >= 500 || status === 408 || status === 409) {
      return { retryable: true, status, ...withWait, code: 'provider_unavailable', message: `${who} could not answer (HTTP ${status})${detail}.` };
    }
    const contextRefusal = contextRefusalOf(current);
    if (contextRefusal) {
      return { retryable: false, status, code: 'provider_context_exceeded', contextRefusal, message: `${who} refused the prompt as longer than the model's context window (HTTP ${status})${detail}.` };
    }
    if (status === 404) {
      return { retryable: false, status, code: 'provider_not_found', message: `${who} answered 404 Not Found${detail}. Check the model name and the base URL.` };
    }
    return { retryable: false, status, code: 'provider_bad_request', message: `${who} refused the request (HTTP ${status})${detail}.` };
  }

  const networkCode = findNetworkCode(current);
  if (networkCode) {
    return { retryable: true, code: 'provider_connection_failed', message: `The connection to ${who} failed (${networkCode}).` };
  }
  if (unreadableResponseErrors.has(name)) {
    return { retryable: false, code: 'provider_invalid_response', message: `${who} sent a response that could not be read${detail}.` };
  }
  // An SDK error without status that the SDK itself considers transient (e.g. "Cannot connect to API").
  if (current.isRetryable === true) {
    return { retryable: true, code: 'provider_connection_failed', message: `The request to ${who} failed${detail}.` };
  }
  return { retryable: false, code: 'provider_error', message: `${who} failed${detail}.` };
}

/** Walks the cause chain for a socket error code; undici reports a cut stream as TypeError("terminated"). */
function findNetworkCode(error: ErrorLike): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  let streamCut = false;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, name, message, cause } = current as ErrorLike;
    if (typeof code === 'string' && transientNetworkCodes.has(code)) return code;
    if (name === 'TypeError' && (message === 'terminated' || message === 'fetch failed')) streamCut = true;
    current = cause;
  }
  return streamCut ? 'connection closed' : undefined;
}

function describeDetail(error: ErrorLike, scrub: (text: string) => string): string {
  const message = typeof error.message === 'string' ? error.message.trim() : '';
  // The SDK's generic wrapper, or a bare status text ("Not Found"), adds nothing to the sentence.
  if (!message || message === 'Failed to process successful response') return '';
  if (typeof error.statusCode === 'number' && message === STATUS_CODES[error.statusCode]) return '';
  const firstLine = message.split('\n')[0].replace(/[.\s]+$/, '');
  const short = firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine;
  return `: ${scrub(short)}`;
}

export function scrubSecrets(text: string, apiKey?: string): string {
  let scrubbed = text;
  if (apiKey && apiKey.length >= 4) scrubbed = scrubbed.split(apiKey).join('[redacted]');
  // URLs first (a password, a token as user name, credential query parameters), as the API shows them.
  return maskUrlSecretsInText(scrubbed)
    .replace(/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{12,}/g, '[redacted]')
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]')
    .replace(/\b(Bearer\s+)[^\s"',]+/gi, '$1[redacted]')
    .replace(/([?&])([^=&\s"']+)=[^&\s"']+/g, (pair, separator: string, name: string) => (isSecretParam(name) ? `${separator}${name}=[redacted]` : pair));
}

function retryAfterFromHeaders(headers: unknown): number | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const read = (name: string) => {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const milliseconds = Number(read('retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const retryAfter = read('retry-after');
  if (retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
