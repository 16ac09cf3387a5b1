import { LEASES_CHANNEL, type ReplyLease, type ReplyLeases } from '../shared-store.js';
import { changes, forSession, row, rows, type Queryable } from './database.js';

type LeaseRow = Omit<ReplyLease, 'expires_at'> & { expires_at: Date };

const COLUMNS = 'session_id, owner, reply_id, expires_at';
/** Expiry by the database's clock (now() is the transaction's start, the same for every row of a statement). */
const EXPIRY = `now() + $ttl * interval '1 millisecond'`;
const expiry = (parameter: string) => EXPIRY.replace('$ttl', parameter);

/** Reply leases in a table: the primary key makes a lease exclusive, whatever instances race for it. */
export class PostgresReplyLeases implements ReplyLeases {
  constructor(private readonly db: Queryable) {}

  async acquire(sessionId: string, owner: string, replyId: string | null, ttlMs: number): Promise<boolean> {
    const taken = await forSession(
      sessionId,
      changes(this.db, `INSERT INTO reply_leases (${COLUMNS}) VALUES ($1, $2, $3, ${expiry('$4')}) ON CONFLICT (session_id) DO NOTHING`, [sessionId, owner, replyId, ttlMs]),
    );
    return taken > 0;
  }

  async setReply(sessionId: string, owner: string, replyId: string | null): Promise<boolean> {
    return (await changes(this.db, 'UPDATE reply_leases SET reply_id = $3 WHERE session_id = $1 AND owner = $2', [sessionId, owner, replyId])) > 0;
  }

  async renew(owner: string, ttlMs: number): Promise<string[]> {
    const renewed = await rows<{ session_id: string }>(this.db, `UPDATE reply_leases SET expires_at = ${expiry('$2')} WHERE owner = $1 RETURNING session_id`, [
      owner,
      ttlMs,
    ]);
    return renewed.map((lease) => lease.session_id);
  }

  async release(sessionId: string, owner: string): Promise<boolean> {
    const released = await row<{ session_id: string }>(
      this.db,
      `WITH released AS (DELETE FROM reply_leases WHERE session_id = $1 AND owner = $2 RETURNING session_id)
       SELECT session_id, pg_notify('${LEASES_CHANNEL}', session_id) FROM released`,
      [sessionId, owner],
    );
    return released !== null;
  }

  async get(sessionId: string): Promise<ReplyLease | null> {
    const found = await row<LeaseRow>(this.db, `SELECT ${COLUMNS} FROM reply_leases WHERE session_id = $1`, [sessionId]);
    return found ? toLease(found) : null;
  }

  async listExpired(): Promise<ReplyLease[]> {
    return (await rows<LeaseRow>(this.db, `SELECT ${COLUMNS} FROM reply_leases WHERE expires_at <= now() ORDER BY expires_at, session_id`)).map(toLease);
  }

  async takeOver(sessionId: string, expiredOwner: string, owner: string, ttlMs: number): Promise<ReplyLease | null> {
    // The row lock decides between instances trying at once: the second waits, then finds the owner
    // changed (or the lease renewed) when it reads the row again, and takes nothing.
    const taken = await row<LeaseRow>(
      this.db,
      `WITH before AS (
         SELECT ${COLUMNS} FROM reply_leases WHERE session_id = $1 AND owner = $2 AND expires_at <= now() FOR UPDATE
       ), taken AS (
         UPDATE reply_leases AS lease SET owner = $3, expires_at = ${expiry('$4')} FROM before WHERE lease.session_id = before.session_id
         RETURNING before.session_id, before.owner, before.reply_id, before.expires_at
       )
       SELECT ${COLUMNS}, pg_notify('${LEASES_CHANNEL}', session_id) FROM taken`,
      [sessionId, expiredOwner, owner, ttlMs],
    );
    return taken ? toLease(taken) : null;
  }
}

function toLease({ session_id, owner, reply_id, expires_at }: LeaseRow): ReplyLease {
  return { session_id, owner, reply_id, expires_at: expires_at.toISOString() };
}
