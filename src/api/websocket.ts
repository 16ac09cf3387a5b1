import { z } from '@hono/zod-openapi';
import { ResolveApprovalRequest } from './approvals.js';
import { SendMessageRequest } from './messages.js';

// The frames a client sends on ws://HOST:PORT/api/sessions/{id}/stream. The server sends the
// session's events (SessionEvent in events.ts), the same objects SSE and the store carry.

export const AuthFrame = z
  .object({ type: z.literal('auth'), key: z.string().min(1).max(4096) })
  .openapi('WebSocketAuthFrame', {
    description: "The server's secret key, for clients that cannot set headers (browsers). When a key is required and was not sent as a header, this must be the first frame.",
  });

export const MessageFrame = z
  .object({ type: z.literal('message'), ...SendMessageRequest.shape })
  .openapi('WebSocketMessageFrame', {
    description: 'Starts a reply, exactly like POST /api/sessions/{id}/messages/stream; its events go to every client following the session.',
  });

export const CancelFrame = z
  .object({ type: z.literal('cancel') })
  .openapi('WebSocketCancelFrame', { description: 'Stops the running reply, like POST /api/sessions/{id}/cancel.' });

export const ApprovalFrame = z
  .object({ type: z.literal('approval'), id: z.string().min(1).max(200).openapi({ description: 'The id of the approval_request event.' }), ...ResolveApprovalRequest.shape })
  .openapi('WebSocketApprovalFrame', { description: 'Answers an approval, like POST /api/sessions/{id}/approvals/{approval_id}.' });

export const ResumeFrame = z
  .object({ type: z.literal('resume'), after: z.number().int().min(0).openapi({ description: 'The last seq the client saw.' }) })
  .openapi('WebSocketResumeFrame', {
    description: 'Sends the events after `after` (or one `resync` event when they are no longer available), then follows live.',
  });

export const ClientFrame = z
  .discriminatedUnion('type', [AuthFrame, MessageFrame, CancelFrame, ApprovalFrame, ResumeFrame])
  .openapi('WebSocketClientFrame', { description: 'A JSON text frame a client sends on /api/sessions/{id}/stream.' });
export type ClientFrame = z.infer<typeof ClientFrame>;

export const clientFrameTypes: ReadonlySet<string> = new Set(ClientFrame.options.map((option) => option.shape.type.value));

/** Close codes the server uses, besides the protocol's own (1001 going away, 1009 frame too big). */
export const WebSocketCloseCode = {
  goingAway: 1001,
  /** The client read too slowly: its queue passed the bound. Reconnect and `resume`. */
  slowConsumer: 4008,
  /** The key is required and was not sent first, or is wrong. */
  unauthorized: 4401,
  sessionNotFound: 4404,
  sessionDeleted: 4410,
} as const;

export const WebSocketUpgradeQuery = z.object({
  after: z.coerce.number().int().min(0).optional().openapi({ description: 'Start by replaying the events after this seq (like sending `resume`).' }),
});
