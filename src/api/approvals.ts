import { z } from '@hono/zod-openapi';
import { orNull } from './nullable.js';
import { ApprovalDecision } from './events.js';

export const Approval = z
  .object({
    id: z.string(),
    session_id: z.string(),
    message_id: z.string(),
    tool_call_id: z.string(),
    tool: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    reason: z.string(),
    status: z.enum(['pending', 'resolved', 'cancelled']).openapi({ description: 'cancelled: the reply ended before anyone answered.' }),
    decision: orNull(ApprovalDecision),
    message: z.string().nullable().openapi({ description: 'What the person told the model with the decision.' }),
    created_at: z.string().openapi({ format: 'date-time' }),
    resolved_at: z.string().nullable(),
  })
  .openapi('Approval');
export type Approval = z.infer<typeof Approval>;

export const ResolveApprovalRequest = z
  .strictObject({ decision: ApprovalDecision, message: z.string().max(10_000).optional() })
  .openapi('ResolveApprovalRequest');
export type ResolveApprovalRequest = z.infer<typeof ResolveApprovalRequest>;

export const ApprovalParams = z.object({
  id: z.string().max(200).openapi({ param: { name: 'id', in: 'path' } }),
  approval_id: z.string().max(200).openapi({ param: { name: 'approval_id', in: 'path' } }),
});

export const ApprovalListQuery = z.object({ status: z.enum(['pending', 'resolved', 'cancelled']).optional() });
