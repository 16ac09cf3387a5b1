import type Database from 'better-sqlite3';
import type { Approval } from '../../api/approvals.js';
import type { ApprovalDecision } from '../../api/events.js';

type ApprovalRow = Omit<Approval, 'arguments'> & { arguments: string };
const COLUMNS = 'id, session_id, message_id, tool_call_id, tool, arguments, reason, status, decision, message, created_at, resolved_at';

/** Approvals live in the store, not only in memory: a reply waiting for one survives a restart. */
export class ApprovalTable {
  private readonly insert_;
  private readonly get_;
  private readonly list_;
  private readonly listByStatus_;
  private readonly resolve_;
  private readonly cancel_;
  constructor(db: Database.Database) {
    this.insert_ = db.prepare(
      `INSERT INTO approvals (${COLUMNS}) VALUES (@id, @session_id, @message_id, @tool_call_id, @tool, @arguments, @reason, @status, @decision, @message, @created_at, @resolved_at)`,
    );
    this.get_ = db.prepare(`SELECT ${COLUMNS} FROM approvals WHERE session_id = ? AND id = ?`);
    this.list_ = db.prepare(`SELECT ${COLUMNS} FROM approvals WHERE session_id = ? ORDER BY created_at, id`);
    this.listByStatus_ = db.prepare(`SELECT ${COLUMNS} FROM approvals WHERE session_id = ? AND status = ? ORDER BY created_at, id`);
    // Only a pending approval can be resolved: the second answer changes nothing (its sender gets approval_already_resolved).
    this.resolve_ = db.prepare(
      `UPDATE approvals SET status = 'resolved', decision = ?, message = ?, resolved_at = ? WHERE session_id = ? AND id = ? AND status = 'pending'`,
    );
    this.cancel_ = db.prepare(`UPDATE approvals SET status = 'cancelled', resolved_at = ? WHERE session_id = ? AND message_id = ? AND status = 'pending'`);
  }
  create(approval: Approval): void {
    this.insert_.run({ ...approval, arguments: JSON.stringify(approval.arguments) });
  }
  get(sessionId: string, id: string): Approval | null {
    const row = this.get_.get(sessionId, id) as ApprovalRow | undefined;
    return row ? toApproval(row) : null;
  }
  list(sessionId: string, status?: Approval['status']): Approval[] {
    const rows = (status ? this.listByStatus_.all(sessionId, status) : this.list_.all(sessionId)) as ApprovalRow[];
    return rows.map(toApproval);
  }
  resolve(sessionId: string, id: string, decision: ApprovalDecision, message: string | null): boolean {
    return this.resolve_.run(decision, message, new Date().toISOString(), sessionId, id).changes > 0;
  }
  /** The reply they belonged to ended (cancelled, failed): nobody can answer them any more. */
  cancelForMessage(sessionId: string, messageId: string): number {
    return this.cancel_.run(new Date().toISOString(), sessionId, messageId).changes;
  }
}

function toApproval(row: ApprovalRow): Approval {
  return { ...row, arguments: JSON.parse(row.arguments) };
}
