import { randomUUID } from 'node:crypto';
import type { Approval } from '../api/approvals.js';
import { Conflict, NotFound } from '../api/errors.js';
import type { ApprovalDecision } from '../api/events.js';
import type { ToolCallPart } from '../api/messages.js';
import type { Store } from '../store/store.js';
import type { ReplyWriter } from './reply-writer.js';

export interface ApprovalAnswer {
  decision: ApprovalDecision;
  message: string | null;
}

/**
 * Tool calls waiting for a person. The approval is a row in the store first (so it survives a
 * restart) and a waiting promise second; answering resolves the row atomically, then wakes the reply.
 */
export class ApprovalBroker {
  private readonly waiters = new Map<string, (answer: ApprovalAnswer) => void>();

  constructor(
    private readonly store: Store,
    private readonly onWaitingChange: (sessionId: string) => void,
  ) {}

  /**
   * Asks (or, for a reply resumed after a restart, keeps asking) and waits for the answer. An
   * approval answers exactly one call: it is found again by the call's own id (goosed's, never
   * the provider's) within its message.
   */
  async ask(writer: ReplyWriter, part: ToolCallPart, reason: string, signal: AbortSignal): Promise<ApprovalAnswer> {
    const sessionId = writer.sessionId;
    const messageId = writer.message.id;
    let approval = this.store
      .listApprovals(sessionId)
      .findLast((a) => a.message_id === messageId && a.tool_call_id === part.id && a.status !== 'cancelled');
    // Answered while the reply was not listening (just after a restart): take the answer.
    if (approval?.status === 'resolved' && approval.decision) return { decision: approval.decision, message: approval.message };
    if (!approval) {
      approval = {
        id: randomUUID(),
        session_id: sessionId,
        message_id: messageId,
        tool_call_id: part.id,
        tool: part.tool,
        arguments: part.arguments,
        reason,
        status: 'pending',
        decision: null,
        message: null,
        created_at: new Date().toISOString(),
        resolved_at: null,
      } satisfies Approval;
      this.store.createApproval(approval);
      writer.setToolStatus(part, 'awaiting_approval');
      writer.publish({
        type: 'approval_request',
        message_id: messageId,
        id: approval.id,
        tool_call_id: part.id,
        tool: part.tool,
        arguments: part.arguments,
        reason,
      });
    }
    const id = approval.id;
    const answer = new Promise<ApprovalAnswer>((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(id);
        reject(signal.reason ?? new Error('aborted'));
      };
      this.waiters.set(id, (result) => {
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(id);
        resolve(result);
      });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    this.onWaitingChange(sessionId);
    try {
      return await answer;
    } finally {
      this.onWaitingChange(sessionId);
    }
  }

  isWaiting(sessionId: string): boolean {
    return this.store.listApprovals(sessionId, 'pending').some((approval) => this.waiters.has(approval.id));
  }

  /** NotFound for an unknown id, Conflict for one already answered or cancelled; never a silent success. */
  answer(sessionId: string, approvalId: string, answer: ApprovalAnswer, writerPublish: (approval: Approval) => void): Approval {
    const existing = this.store.getApproval(sessionId, approvalId);
    if (!existing) throw NotFound.of('approval', approvalId);
    if (!this.store.resolveApproval(sessionId, approvalId, answer.decision, answer.message)) {
      throw new Conflict('approval_already_resolved', `The approval ${approvalId} was already ${existing.status === 'cancelled' ? 'cancelled' : 'answered'}.`);
    }
    if (answer.decision === 'always_allow' || answer.decision === 'always_deny') this.store.permissions.set(existing.tool, answer.decision);
    const resolved = this.store.getApproval(sessionId, approvalId)!;
    writerPublish(resolved);
    this.waiters.get(approvalId)?.(answer);
    return resolved;
  }
}
