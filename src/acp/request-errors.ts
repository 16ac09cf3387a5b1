import { RequestError } from '@agentclientprotocol/sdk';
import { GoosedError } from '../client/goosed-error.js';

/** JSON-RPC's code for an error of the method itself (the spec leaves -32000…-32099 to servers; ACP uses some). */
const INTERNAL_ERROR = -32603;

/**
 * goosed's answer as the JSON-RPC error of the request it failed: a missing session is ACP's
 * "resource not found", a refused input "invalid params"; anything else keeps goosed's sentence,
 * with goosed's code in `data` for clients that act on it.
 */
export function toRequestError(error: unknown, sessionId?: string): RequestError {
  if (error instanceof RequestError) return error;
  if (error instanceof GoosedError) {
    if (error.status === 404 && sessionId && error.code === 'not_found') return RequestError.sessionNotFound(sessionId);
    if (error.status === 400) return new RequestError(-32602, error.message, { code: error.code });
    return new RequestError(INTERNAL_ERROR, error.message, { code: error.code });
  }
  return new RequestError(INTERNAL_ERROR, error instanceof Error ? error.message : String(error));
}
