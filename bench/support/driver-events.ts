import pg from 'pg';
import type { UnnumberedEvent } from '../../src/store/shared-store.js';
import { clientConfig } from '../../src/store/postgres/database.js';
import { APPEND_EVENTS, READ_EVENTS } from '../../src/store/postgres/postgres-shared-events.js';

/** The event rows of a session, durable and live, as goosed's statements stored them. */
const STORED_EVENTS = `
  SELECT seq, body, live FROM (
    SELECT seq, body, false AS live FROM events WHERE session_id = $1
    UNION ALL
    SELECT seq, body, true AS live FROM live_events WHERE session_id = $1
  ) stored ORDER BY seq`;

/** Events goosed appended in one statement: their JSON without the seq, as it handed them over. */
export interface AppendedBatch {
  events: UnnumberedEvent[];
  types: string[];
}

/**
 * The baseline of a reply's events on PostgreSQL: goosed's own statements (the append that numbers,
 * stores and announces a batch; the read a follower elsewhere makes), run straight through
 * node-postgres, configured as goosed's connections, one after another as goosed's session log runs them.
 */
export class DriverEvents {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<DriverEvents> {
    const client = new pg.Client(clientConfig({ url, applicationName: 'goosed-bench' }));
    await client.connect();
    return new DriverEvents(client);
  }

  /**
   * A session's events in the batches goosed appended them in: one statement gives its events one
   * `created_at`. (Two batches stored within the same millisecond read as one: the baseline then
   * has one statement fewer than goosed ran.)
   */
  async batches(sessionId: string): Promise<AppendedBatch[]> {
    const { rows } = await this.client.query<{ seq: number; body: string; live: boolean }>({ name: 'bench_stored_events', text: STORED_EVENTS, values: [sessionId] });
    const batches: AppendedBatch[] = [];
    let batchTime: string | null = null;
    for (const { body, live } of rows) {
      const { created_at: createdAt, type } = JSON.parse(body) as { created_at: string; type: string };
      // Stored as `{"seq":n,` + the rest of what goosed handed over.
      const json = `{${body.slice(body.indexOf(',') + 1)}`;
      if (createdAt !== batchTime || batches.length === 0) batches.push({ events: [], types: [] });
      batchTime = createdAt;
      batches[batches.length - 1].events.push({ json, live });
      batches[batches.length - 1].types.push(type);
    }
    return batches;
  }

  /** Appends the batches to the session one after another, each awaited (as goosed does); the milliseconds it took. */
  async append(sessionId: string, batches: readonly AppendedBatch[]): Promise<number> {
    const started = performance.now();
    for (const { events } of batches) {
      await this.client.query({ name: 'bench_append_events', text: APPEND_EVENTS, values: [sessionId, events.map((e) => e.json), events.map((e) => e.live)] });
    }
    return performance.now() - started;
  }

  /** Reads the session's events after `after` in pages of 1,000 (as a follower on another instance); the milliseconds and the count. */
  async read(sessionId: string, after = 0): Promise<{ ms: number; events: number }> {
    const started = performance.now();
    let events = 0;
    for (let from = after; ; ) {
      const { rows } = await this.client.query<{ seq: number }>({ name: 'bench_read_events', text: READ_EVENTS, values: [sessionId, from, 1000] });
      if (rows.length === 0) break;
      events += rows.length;
      from = rows[rows.length - 1].seq;
    }
    return { ms: performance.now() - started, events };
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** The batches up to and including the first that carries text: what a reply commits before its first token can reach a follower. */
export function throughFirstText(batches: readonly AppendedBatch[]): AppendedBatch[] {
  const first = batches.findIndex((batch) => batch.types.includes('content_delta'));
  return first === -1 ? [...batches] : batches.slice(0, first + 1);
}
