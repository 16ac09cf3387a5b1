import type { Approval } from '../../api/approvals.js';
import type { ApprovalDecision } from '../../api/events.js';
import { changes, row, rows, type Queryable } from './database.js';

type ApprovalRow = Omit<Approval, 'arguments'> & { arguments: string };
const COLUMNS = 'id, session_id, message_id, tool_call_id, tool, arguments, reason, status, decision, message, created_at, resolved_at';

/** Approvals live in the store, not only in memory: a reply waiting for one survives a restart. */
export class ApprovalTable {
  constructor(private readonly db: Queryable) {}

  async create(approval: Approval): Promise<void> {
    const { id, session_id, message_id, tool_call_id, tool, reason, status, decision, message, created_at, resolved_at } = approval;
    await changes(this.db, `INSERT INTO approvals (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
      id, session_id, message_id, tool_call_id, tool, JSON.stringify(approval.arguments), reason, status, decision, message, created_at, resolved_at,
    ]);
  }

  async get(sessionId: string, id: string): Promise<Approval | null> {
    const found = await row<ApprovalRow>(this.db, `SELECT ${COLUMNS} FROM approvals WHERE session_id = $1 AND id = $2`, [sessionId, id]);
    return found ? toApproval(found) : null;
  }

  async list(sessionId: string, status?: Approval['status']): Promise<Approval[]> {
    const found = status
      ? await rows<ApprovalRow>(this.db, `SELECT ${COLUMNS} FROM approvals WHERE session_id = $1 AND status = $2 ORDER BY created_at, id`, [sessionId, status])
      : await rows<ApprovalRow>(this.db, `SELECT ${COLUMNS} FROM approvals WHERE session_id = $1 ORDER BY created_at, id`, [sessionId]);
    return found.map(toApproval);
  }

  /** Only a pending approval can be resolved: of two answers at once, on any instances, one wins. */
  async resolve(sessionId: string, id: string, decision: ApprovalDecision, message: string | null): Promise<boolean> {
    const resolved = await changes(
      this.db,
      `UPDATE approvals SET status = 'resolved', decision = $3, message = $4, resolved_at = $5 WHERE session_id = $1 AND id = $2 AND status = 'pending'`,
      [sessionId, id, decision, message, new Date().toISOString()],
    );
    return resolved > 0;
  }

  /** The reply they belonged to ended (cancelled, failed): nobody can answer them any more. */
  cancelForMessage(sessionId: string, messageId: string): Promise<number> {
    return changes(
      this.db,
      `UPDATE approvals SET status = 'cancelled', resolved_at = $3 WHERE session_id = $1 AND message_id = $2 AND status = 'pending'`,
      [sessionId, messageId, new Date().toISOString()],
    );
  }
}

function toApproval(found: ApprovalRow): Approval {
  return { ...found, arguments: JSON.parse(found.arguments) };
}
