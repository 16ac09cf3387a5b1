import { NotFound } from '../../api/domain-errors.js';
import type { SharedEvents, StoredEventText, UnnumberedEvent } from '../shared-store.js';
import { EVENTS_CHANNEL } from '../shared-store.js';
import { changes, forSession, row, rows, type Queryable } from './database.js';

/**
 * One statement numbers, stores and announces a batch. Its UPDATE locks the session's counter row
 * until the statement commits, so a second batch (from any instance) waits for the first: seqs are
 * committed in order, and a reader never sees seq n+1 before seq n. The seq goes first into each
 * stored JSON object (`{"seq":n,` + the rest of the given object).
 */
// Exported for the benchmark, which runs the same statements straight through node-postgres.
export const APPEND_EVENTS = `
  WITH numbered AS (
    UPDATE session_seq SET last_seq = last_seq + cardinality($2::text[]) WHERE session_id = $1 RETURNING last_seq
  ), batch AS (
    SELECT numbered.last_seq - cardinality($2::text[]) + given.ordinal AS seq, given.json, given.live
    FROM numbered, unnest($2::text[], $3::boolean[]) WITH ORDINALITY AS given (json, live, ordinal)
  ), durable AS (
    INSERT INTO events (session_id, seq, body) SELECT $1, seq, '{"seq":' || seq || ',' || substr(json, 2) FROM batch WHERE NOT live
  ), live AS (
    INSERT INTO live_events (session_id, seq, body) SELECT $1, seq, '{"seq":' || seq || ',' || substr(json, 2) FROM batch WHERE live
  )
  SELECT last_seq, pg_notify('${EVENTS_CHANNEL}', $1 || ' ' || last_seq) FROM numbered`;

export const READ_EVENTS = `
  SELECT seq, body AS json FROM (
    SELECT seq, body FROM events WHERE session_id = $1 AND seq > $2
    UNION ALL
    SELECT seq, body FROM live_events WHERE session_id = $1 AND seq > $2
  ) stored ORDER BY seq LIMIT $3`;

export class PostgresSharedEvents implements SharedEvents {
  constructor(private readonly db: Queryable) {}

  async append(sessionId: string, events: readonly UnnumberedEvent[]): Promise<number> {
    if (events.length === 0) throw new Error('nothing to append');
    for (const { json } of events) {
      // The seq is spliced in after the opening brace: an object with a first member is needed.
      if (!json.startsWith('{"') || !json.endsWith('}')) throw new Error(`an event to number must be a JSON object with members, not ${json.slice(0, 40)}`);
    }
    const numbered = await forSession(sessionId, row<{ last_seq: number }>(this.db, APPEND_EVENTS, [sessionId, events.map((event) => event.json), events.map((event) => event.live)]));
    if (!numbered) throw NotFound.of('session', sessionId);
    return numbered.last_seq;
  }

  read(sessionId: string, after: number, limit: number): Promise<StoredEventText[]> {
    return rows<StoredEventText>(this.db, READ_EVENTS, [sessionId, after, limit]);
  }

  async last(sessionId: string): Promise<number | null> {
    return (await row<{ last_seq: number }>(this.db, 'SELECT last_seq FROM session_seq WHERE session_id = $1', [sessionId]))?.last_seq ?? null;
  }

  pruneLive(ageMs: number): Promise<number> {
    return changes(this.db, `DELETE FROM live_events WHERE stored_at <= now() - $1 * interval '1 millisecond'`, [ageMs]);
  }
}
