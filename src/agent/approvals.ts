import { randomUUID } from 'node:crypto';
import type { Approval } from '../api/approvals.js';
import { Conflict, NotFound } from '../api/domain-errors.js';
import type { ApprovalDecision } from '../api/events.js';
import type { ToolCallPart } from '../api/messages.js';
import type { EventLog } from '../events/event-log.js';
import type { Store } from '../store/store.js';
import type { InstanceControl } from './instance-control.js';

export interface ApprovalAnswer {
  decision: ApprovalDecision;
  message: string | null;
}

export interface ApprovalsOptions {
  store: Pick<Store, 'listApprovals' | 'createApproval' | 'getApproval' | 'resolveApproval' | 'permissions'>;
  events: EventLog;
  /** With several instances: an answer given here reaches the instance whose reply waits for it. */
  control?: InstanceControl;
}

/** A call's approval as asked: the row, whether it is new (the request still to be announced), and the answer to come. */
export interface PendingApproval {
  approval: Approval;
  created: boolean;
  answer: Promise<ApprovalAnswer>;
}

const ignore = () => {};

/**
 * Tool calls waiting for a person. The approval is a row in the store first (so it survives a
 * restart) and a waiting promise second; answering resolves the row atomically, then wakes the reply.
 * Routes and WebSocket frames answer through here; replies ask through here.
 */
export class Approvals {
  private readonly store: ApprovalsOptions['store'];
  private readonly events: EventLog;
  private readonly waiters = new Map<string, (answer: ApprovalAnswer) => void>();
  private readonly control: InstanceControl | null;

  constructor(options: ApprovalsOptions) {
    this.store = options.store;
    this.events = options.events;
    this.control = options.control ?? null;
    this.control?.on((message) => {
      if (message.kind === 'approval' && this.waiters.has(message.id)) void this.wakeFromStore(message.session_id, message.id);
    });
  }

  list(sessionId: string, status?: Approval['status']): Promise<Approval[]> {
    return this.store.listApprovals(sessionId, status);
  }

  /**
   * Asks (or, for a reply resumed after a restart, keeps asking) about one call. An approval answers
   * exactly one call: it is found again by the call's own id (goosed's, never the provider's) within
   * its message. The waiter is in place before the row exists, so no answer can come unheard.
   */
  async ask(request: { sessionId: string; messageId: string; part: ToolCallPart; reason: string; signal: AbortSignal }): Promise<PendingApproval> {
    const { sessionId, messageId, part, reason, signal } = request;
    const existing = (await this.store.listApprovals(sessionId)).findLast(
      (a) => a.message_id === messageId && a.tool_call_id === part.id && a.status !== 'cancelled',
    );
    // Answered while the reply was not listening (just after a restart): take the answer.
    if (existing?.status === 'resolved' && existing.decision) {
      return { approval: existing, created: false, answer: Promise.resolve({ decision: existing.decision, message: existing.message }) };
    }
    const approval: Approval = existing ?? {
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
    };
    const answer = this.waitFor(approval.id, signal);
    if (!existing) {
      try {
        await this.store.createApproval(approval);
      } catch (error) {
        this.waiters.delete(approval.id);
        throw error;
      }
    }
    return { approval, created: !existing, answer };
  }

  /** NotFound for an unknown id, Conflict for one already answered or cancelled; never a silent success. */
  async answer(sessionId: string, approvalId: string, answer: ApprovalAnswer): Promise<Approval> {
    const existing = await this.store.getApproval(sessionId, approvalId);
    if (!existing) throw NotFound.of('approval', approvalId);
    if (!(await this.store.resolveApproval(sessionId, approvalId, answer.decision, answer.message))) {
      throw new Conflict('approval_already_resolved', `The approval ${approvalId} was already ${existing.status === 'cancelled' ? 'cancelled' : 'answered'}.`);
    }
    if (answer.decision === 'always_allow' || answer.decision === 'always_deny') await this.store.permissions.set(existing.tool, answer.decision);
    const resolved = (await this.store.getApproval(sessionId, approvalId))!;
    await this.events.publish(sessionId, { type: 'approval_resolved', message_id: resolved.message_id, id: resolved.id, decision: answer.decision });
    const waiter = this.waiters.get(approvalId);
    if (waiter) waiter(answer);
    // The reply waiting for it runs on another instance (or nowhere: it finds the answer when it resumes).
    else await this.control?.send({ kind: 'approval', session_id: sessionId, id: approvalId });
    return resolved;
  }

  /** Answered on another instance: the row holds the answer. */
  private async wakeFromStore(sessionId: string, approvalId: string): Promise<void> {
    const approval = await this.store.getApproval(sessionId, approvalId).catch(() => null);
    if (approval?.status === 'resolved' && approval.decision) this.waiters.get(approvalId)?.({ decision: approval.decision, message: approval.message });
  }

  private waitFor(id: string, signal: AbortSignal): Promise<ApprovalAnswer> {
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
    // Stopped before anyone waits on it (the row could not be written): not an unhandled rejection.
    answer.catch(ignore);
    return answer;
  }
}
