import pg from 'pg';
import type { UnnumberedEvent } from '../../src/store/shared-store.js';
import { EVENTS_CHANNEL } from '../../src/store/shared-store.js';
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
  /** Per session, the last seq of each append goosed committed (its NOTIFY): where its batches end. */
  private readonly batchEnds = new Map<string, Set<number>>();

  private constructor(private readonly client: pg.Client) {}

  /** Listens to goosed's event news from now on: open it before the replies to be replayed. */
  static async open(url: string): Promise<DriverEvents> {
    const client = new pg.Client(clientConfig({ url, applicationName: 'goosed-bench' }));
    await client.connect();
    const driver = new DriverEvents(client);
    client.on('notification', ({ payload }) => {
      if (!payload) return;
      // `<session id> <last seq of the batch>`
      const space = payload.lastIndexOf(' ');
      const sessionId = payload.slice(0, space);
      let ends = driver.batchEnds.get(sessionId);
      if (!ends) driver.batchEnds.set(sessionId, (ends = new Set()));
      ends.add(Number(payload.slice(space + 1)));
    });
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    return driver;
  }

  /** A session's events in the batches goosed appended them in (each announced by one NOTIFY at its commit). */
  async batches(sessionId: string): Promise<AppendedBatch[]> {
    const { rows } = await this.client.query<{ seq: number; body: string; live: boolean }>({ name: 'bench_stored_events', text: STORED_EVENTS, values: [sessionId] });
    const ends = this.batchEnds.get(sessionId);
    if (!ends || !ends.has(rows[rows.length - 1]?.seq)) throw new Error(`the appends of session ${sessionId} were not all heard`);
    const batches: AppendedBatch[] = [{ events: [], types: [] }];
    for (const { seq, body, live } of rows) {
      // Stored as `{"seq":n,` + the rest of what goosed handed over.
      const json = `{${body.slice(body.indexOf(',') + 1)}`;
      const batch = batches[batches.length - 1];
      batch.events.push({ json, live });
      batch.types.push((JSON.parse(body) as { type: string }).type);
      if (ends.has(seq) && seq !== rows[rows.length - 1].seq) batches.push({ events: [], types: [] });
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
