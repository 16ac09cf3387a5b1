import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface SeedPlan {
  sessions: number;
  messagesPerSession: number;
  /** Characters of text in an assistant message (user messages get a fifth of it). */
  assistantChars: number;
  /** Extra sessions with this many messages each (the "big session"). */
  bigSessions?: number[];
}

export interface SeedResult {
  databaseFile: string;
  sessionIds: string[];
  bigSessionIds: string[];
  bytes: number;
}

const WORDS = 'the agent read the file and ran the tests then wrote a short summary of what changed and why it matters'.split(' ');

function prose(chars: number, salt: number): string {
  let text = '';
  for (let i = salt; text.length < chars; i++) text += `${WORDS[i % WORDS.length]} `;
  return text.slice(0, chars);
}

/**
 * Fills a goosed data directory through the store goosed itself uses (same schema, same rows, same
 * counters), in large transactions, before goosed starts on it. (The SQLite store runs a statement
 * before its method returns, so the calls made inside a transaction are part of it; their promises
 * are awaited after it, to report a failure.)
 */
export async function seedDatabase(dataDir: string, plan: SeedPlan): Promise<SeedResult> {
  const databaseFile = join(dataDir, 'goosed.db');
  const store = new SqliteStore(databaseFile);
  const userText = prose(Math.max(20, Math.round(plan.assistantChars / 5)), 3);
  const assistantText = prose(plan.assistantChars, 7);
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const tick = () => new Date((clock += 1000)).toISOString();
  const written: Promise<unknown>[] = [];
  const seedSession = (index: number, messages: number): string => {
    const id = randomUUID();
    written.push(store.createSession({ id, name: `Seeded session ${index}`, working_directory: '/tmp', execution_mode: null, created_at: tick() }));
    let lastUser: string | null = null;
    for (let m = 0; m < messages; m++) {
      const user = m % 2 === 0;
      const text = user ? userText : assistantText;
      const messageId = randomUUID();
      written.push(store.addMessage({
        id: messageId, session_id: id, role: user ? 'user' : 'assistant', content: text, parts: [{ type: 'text', text }],
        status: 'complete', created_at: tick(), usage: user ? null : { input_tokens: 900, output_tokens: 150, total_tokens: 1050 },
        error: null, reply_to: user ? null : lastUser, client_id: null,
        // As goosed records a reply: the provider and model that wrote it.
        provider: user ? null : 'anthropic', model: user ? null : 'claude-sonnet-4-5',
      }));
      lastUser = user ? messageId : null;
    }
    return id;
  };
  const sessionIds: string[] = [];
  const bigSessionIds: string[] = [];
  try {
    const batch = 50;
    for (let start = 0; start < plan.sessions; start += batch) {
      store.transaction(() => {
        for (let i = start; i < Math.min(plan.sessions, start + batch); i++) sessionIds.push(seedSession(i, plan.messagesPerSession));
      });
      await Promise.all(written.splice(0));
    }
    for (const [index, messages] of (plan.bigSessions ?? []).entries()) {
      store.transaction(() => bigSessionIds.push(seedSession(plan.sessions + index, messages)));
      await Promise.all(written.splice(0));
    }
  } finally {
    await store.close();
  }
  return { databaseFile, sessionIds, bigSessionIds, bytes: statSync(databaseFile).size };
}
