import type { ApprovalDecision, components } from '../../../src/client/index.js';
import { api, dataOf, GoosedError } from '../lib/api.js';

/** A message id of our own: sending it twice (a retried click, a flaky network) starts one reply. */
function newMessageId(): string {
  // getRandomValues, unlike randomUUID, also works on plain http to a non-loopback address.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Starts a reply. Its events reach the page through `/events`, which the chat follows anyway, so the
 * stream this answers with is closed at once (the reply goes on; that is how goosed works). With
 * `queue`, a reply that is running is waited for first: the answer comes when this one starts.
 */
export async function sendMessage(sessionId: string, content: string, { queue = false }: { queue?: boolean } = {}): Promise<void> {
  const { data, error, response } = await api.POST('/api/sessions/{id}/messages/stream', {
    params: { path: { id: sessionId } },
    body: { content, id: newMessageId(), ...(queue ? { queue: true } : {}) },
    parseAs: 'stream',
  });
  if (error !== undefined || !response.ok) throw GoosedError.fromBody(response.status, error, response.statusText);
  await data?.cancel().catch(() => {});
}

export const cancelReply = (sessionId: string) => dataOf(api.POST('/api/sessions/{id}/cancel', { params: { path: { id: sessionId } } }));

export const answerApproval = (sessionId: string, approvalId: string, decision: ApprovalDecision) =>
  dataOf(api.POST('/api/sessions/{id}/approvals/{approval_id}', { params: { path: { id: sessionId, approval_id: approvalId } }, body: { decision } }));

export const updateSession = (sessionId: string, change: components['schemas']['UpdateSessionRequest']) =>
  dataOf(api.PATCH('/api/sessions/{id}', { params: { path: { id: sessionId } }, body: change }));

export async function deleteSession(sessionId: string): Promise<void> {
  const { response, error } = await api.DELETE('/api/sessions/{id}', { params: { path: { id: sessionId } } });
  if (!response.ok) throw GoosedError.fromBody(response.status, error, response.statusText);
}

/** Summarises the older part of the conversation now (the chat hears of it as `context_compacted`). */
export const compactSession = (sessionId: string) => dataOf(api.POST('/api/sessions/{id}/compact', { params: { path: { id: sessionId } } }));
