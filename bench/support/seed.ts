import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewMessage, Store } from '../../src/store/store.js';

export interface SeedPlan {
  sessions: number;
  messagesPerSession: number;
  /** Characters of text in an assistant message (user messages get a fifth of it). */
  assistantChars: number;
  /** Extra sessions with this many messages each (the "big session"). */
  bigSessions?: number[];
}

export interface SeededSessions {
  sessionIds: string[];
  bigSessionIds: string[];
}

export interface SeedResult extends SeededSessions {
  databaseFile: string;
  bytes: number;
}

const WORDS = 'the agent read the file and ran the tests then wrote a short summary of what changed and why it matters'.split(' ');

function prose(chars: number, salt: number): string {
  let text = '';
  for (let i = salt; text.length < chars; i++) text += `${WORDS[i % WORDS.length]} `;
  return text.slice(0, chars);
}

/** Sessions at a time on a store that takes writes from a pool (each session's messages in order). */
const CONCURRENT_SESSIONS = 10;

/**
 * Fills a store through the store contract goosed itself uses (same schema, same rows, same
 * counters), before goosed starts on it. Where writes take effect in call order (SQLite), the
 * writes of 50 sessions are made inside `together` (one transaction) and their promises awaited
 * after it, to report a failure; elsewhere (PostgreSQL's pool) each session's writes are awaited
 * one by one, several sessions at once.
 */
export async function seedStore(store: Store, plan: SeedPlan, together: (work: () => void) => void = (work) => work()): Promise<SeededSessions> {
  const userText = prose(Math.max(20, Math.round(plan.assistantChars / 5)), 3);
  const assistantText = prose(plan.assistantChars, 7);
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const tick = () => new Date((clock += 1000)).toISOString();
  const inOrder = store.writesInCallOrder === true;
  /** One session's writes, in their order, each made when called. */
  const sessionWrites = (id: string, index: number, messages: number): Array<() => Promise<unknown>> => {
    const writes: Array<() => Promise<unknown>> = [];
    const createdAt = tick();
    writes.push(() => store.createSession({ id, name: `Seeded session ${index}`, working_directory: '/tmp', execution_mode: null, created_at: createdAt }));
    let lastUser: string | null = null;
    for (let m = 0; m < messages; m++) {
      const user = m % 2 === 0;
      const text = user ? userText : assistantText;
      const message: NewMessage = {
        id: randomUUID(), session_id: id, role: user ? 'user' : 'assistant', content: text, parts: [{ type: 'text', text }],
        status: 'complete', created_at: tick(), usage: user ? null : { input_tokens: 900, output_tokens: 150, total_tokens: 1050 },
        error: null, reply_to: user ? null : lastUser, client_id: null,
        // As goosed records a reply: the provider and model that wrote it.
        provider: user ? null : 'anthropic', model: user ? null : 'claude-sonnet-4-5',
      };
      writes.push(() => store.addMessage(message));
      lastUser = user ? message.id : null;
    }
    return writes;
  };
  const seedSessions = async (sizes: number[], firstIndex: number): Promise<string[]> => {
    const ids = sizes.map(() => randomUUID());
    const batch = inOrder ? 50 : CONCURRENT_SESSIONS;
    for (let start = 0; start < ids.length; start += batch) {
      const sessions = ids.slice(start, start + batch).map((id, i) => sessionWrites(id, firstIndex + start + i, sizes[start + i]));
      if (inOrder) {
        // Every statement runs when called, so all of them inside `together` (one transaction).
        const written: Promise<unknown>[] = [];
        together(() => {
          for (const writes of sessions) for (const write of writes) written.push(write());
        });
        await Promise.all(written);
      } else {
        await Promise.all(sessions.map(async (writes) => {
          for (const write of writes) await write();
        }));
      }
    }
    return ids;
  };
  const sessionIds = await seedSessions(Array.from({ length: plan.sessions }, () => plan.messagesPerSession), 0);
  const bigSessionIds: string[] = [];
  for (const messages of plan.bigSessions ?? []) bigSessionIds.push(...(await seedSessions([messages], plan.sessions + bigSessionIds.length)));
  return { sessionIds, bigSessionIds };
}

/** A goosed data directory's SQLite file, seeded in large transactions. */
export async function seedDatabase(dataDir: string, plan: SeedPlan): Promise<SeedResult> {
  const databaseFile = join(dataDir, 'goosed.db');
  const store = new SqliteStore(databaseFile);
  try {
    const seeded = await seedStore(store, plan, (work) => store.transaction(work));
    return { ...seeded, databaseFile, bytes: statSync(databaseFile).size };
  } finally {
    await store.close();
  }
}

/** A PostgreSQL database goosed will use (migrated here, as goosed would), seeded through its store. */
export async function seedPostgres(url: string, plan: SeedPlan): Promise<SeededSessions & { bytes: number }> {
  const store = await PostgresStore.open({ url });
  try {
    const seeded = await seedStore(store, plan);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
      return { ...seeded, bytes: Number(rows[0].bytes) };
    } finally {
      await client.end();
    }
  } finally {
    await store.close();
  }
}
