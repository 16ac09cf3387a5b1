import type { Logger } from 'pino';
import { DomainError } from '../api/domain-errors.js';
import type { Message } from '../api/messages.js';
import type { Store } from '../store/store.js';
import { MaxTurnsReached } from './agent-loop.js';
import { AnswerRefused, ProviderFailure } from './model-step.js';
import type { ReplyWriter } from './reply-writer.js';
import { StopReason } from './stop-reason.js';
import { settleUnfinishedToolCalls } from './tool-runner.js';

/** The error a reply that a shutdown (or a restart) cut short ends with. */
export const INTERRUPTED = { error: 'The server stopped while this reply was running; what it wrote is kept.', code: 'interrupted' };

export interface EndWithError {
  writer: ReplyWriter;
  /** The reply's signal: aborted when it was stopped, with a StopReason saying how. */
  signal: AbortSignal;
  /** What ended the loop. */
  error: unknown;
  store: Pick<Store, 'cancelApprovals'>;
  logger: Logger;
}

/**
 * Ends a reply the loop did not finish: stopped (cancelled, interrupted by shutdown) or failed
 * (provider, a refused answer, max turns, a domain error, a bug). Every call still waiting is settled and every
 * pending approval cancelled first, so that nothing shows as waiting after the reply.
 */
export async function endWithError({ writer, signal, error, store, logger }: EndWithError): Promise<Message> {
  // Deleted, or left waiting for a person at shutdown: the store must stay as it is.
  if (writer.detached) return writer.message;
  await store.cancelApprovals(writer.sessionId, writer.message.id);
  const reason = signal.aborted ? (signal.reason instanceof StopReason ? signal.reason.kind : 'cancel') : 'failure';
  // The tool runner settles the calls it was running or asking about; this settles the ones it
  // never reached (the reply stopped or failed before running them), so none stays waiting.
  await settleUnfinishedToolCalls(writer, reason);
  if (signal.aborted) return writer.finish(reason === 'shutdown' ? 'interrupted' : 'cancelled', reason === 'shutdown' ? INTERRUPTED : null);
  if (error instanceof ProviderFailure) {
    // The provider's fault, not goosed's: one line at warn, the message already free of the key; a stack would say nothing.
    const { code, status, message } = error.info;
    logger.warn({ session_id: writer.sessionId, message_id: writer.message.id, code, status }, `reply failed: ${message}`);
    return writer.finish('error', { error: message, code });
  }
  if (error instanceof AnswerRefused) return writer.finish('error', { error: error.message, code: 'refused' });
  if (error instanceof MaxTurnsReached) return writer.finish('error', { error: error.message, code: 'max_turns_reached' });
  if (error instanceof DomainError) return writer.finish('error', error.toBody());
  logger.error({ err: error, session_id: writer.sessionId }, 'reply failed');
  return writer.finish('error', { error: 'The reply failed on an unexpected error; it is logged.', code: 'internal_error' });
}
