import type Database from 'better-sqlite3';

// Each entry moves the schema one version up; `PRAGMA user_version` records where a database is.
// Append only: a released migration is never edited.
export const migrations: readonly string[] = [
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    working_directory TEXT NOT NULL,
    execution_mode TEXT,
    status TEXT NOT NULL DEFAULT 'idle',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    seq_reserved INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX sessions_by_update ON sessions (updated_at DESC, id DESC);

  CREATE TABLE messages (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    client_id TEXT,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    parts TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    usage TEXT,
    error TEXT,
    reply_to TEXT,
    PRIMARY KEY (session_id, position)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX messages_by_client_id ON messages (session_id, client_id) WHERE client_id IS NOT NULL;

  CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE providers (
    name TEXT PRIMARY KEY,
    api_key TEXT,
    model TEXT NOT NULL,
    base_url TEXT,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE extensions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    config TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE permissions (
    tool TEXT PRIMARY KEY,
    decision TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    tool_call_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    arguments TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    decision TEXT,
    message TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
  ) WITHOUT ROWID;
  CREATE INDEX approvals_by_session ON approvals (session_id, status);
  `,
  // 2: `messages` becomes an ordinary rowid table. As WITHOUT ROWID (a b-tree keyed like an index)
  // a row keeps only about 1 KB in its leaf page and spills the rest into an overflow page, so a
  // message of a few hundred characters, stored with its parts, cost two page reads (and the
  // benchmark's database 2.4 times the disk). A rowid leaf holds rows up to nearly a whole page. Same columns; the key becomes a unique
  // index. Rows are copied in session order, so that each session's history sits together on disk.
  // Messages of a session that no longer exists (possible only if the file was edited with foreign
  // keys off, e.g. in the sqlite3 shell) could not be read through goosed and would fail the new
  // table's foreign key, so they stay behind. SQLite's recipe for changing a table: new table,
  // copy, drop, rename; nothing references `messages`, so foreign keys need not be switched off.
  `
  CREATE TABLE messages_v2 (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    client_id TEXT,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    parts TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    usage TEXT,
    error TEXT,
    reply_to TEXT
  );
  INSERT INTO messages_v2 (session_id, position, id, client_id, role, content, parts, status, created_at, usage, error, reply_to)
    SELECT session_id, position, id, client_id, role, content, parts, status, created_at, usage, error, reply_to
    FROM messages WHERE session_id IN (SELECT id FROM sessions) ORDER BY session_id, position;
  DROP TABLE messages;
  ALTER TABLE messages_v2 RENAME TO messages;
  -- A session's history in order, its next position, and the cascade when a session is deleted.
  CREATE UNIQUE INDEX messages_in_order ON messages (session_id, position);
  CREATE UNIQUE INDEX messages_by_client_id ON messages (session_id, client_id) WHERE client_id IS NOT NULL;
  -- The reply to a user message (a retried request finds the reply it already started).
  CREATE INDEX messages_by_reply_to ON messages (session_id, reply_to, position) WHERE reply_to IS NOT NULL;
  `,
  // 3: context management (docs/context.md). A session's context as of its last model call; a
  // provider's configured window; summaries of the older part of a conversation, each one row.
  `
  ALTER TABLE sessions ADD COLUMN context_tokens INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sessions ADD COLUMN context_limit INTEGER;
  ALTER TABLE providers ADD COLUMN context_limit INTEGER;
  ALTER TABLE providers ADD COLUMN output_limit INTEGER;
  CREATE TABLE summaries (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    through_message_id TEXT NOT NULL,
    tokens_before INTEGER NOT NULL,
    tokens_after INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX summaries_by_session ON summaries (session_id);
  `,
  // 4: the provider and model a session chose (null: the server's current ones), and the provider
  // and model that wrote each reply (null for user messages and for replies written before this).
  `
  ALTER TABLE sessions ADD COLUMN provider TEXT;
  ALTER TABLE sessions ADD COLUMN model TEXT;
  ALTER TABLE messages ADD COLUMN provider TEXT;
  ALTER TABLE messages ADD COLUMN model TEXT;
  `,
  // 5: extensions of one session (an editor's MCP servers, given with `goosed acp`'s session/new),
  // deleted with it. A name is unique within its scope now, not in the whole table, which SQLite can
  // only change by rebuilding the table: new table, copy, drop, rename.
  `
  CREATE TABLE extensions_v5 (
    id TEXT PRIMARY KEY,
    session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    config TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO extensions_v5 (id, session_id, name, type, config, enabled, created_at)
    SELECT id, NULL, name, type, config, enabled, created_at FROM extensions;
  DROP TABLE extensions;
  ALTER TABLE extensions_v5 RENAME TO extensions;
  CREATE UNIQUE INDEX extensions_by_name ON extensions (name) WHERE session_id IS NULL;
  -- A session's own, in the order listed, and the cascade when a session is deleted.
  CREATE UNIQUE INDEX extensions_of_session ON extensions (session_id, name) WHERE session_id IS NOT NULL;
  `,
  // 6: text a running reply streamed since its message was last saved whole, one row per save, in
  // rowid order (Store.appendMessageText). Saving only the new text spares rewriting the whole
  // message every 100 ms while it streams; the message's next save folds it in and drops these.
  `
  CREATE TABLE message_appends (
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    text TEXT NOT NULL
  );
  CREATE INDEX message_appends_by_message ON message_appends (message_id);
  `,
  // 7: `events` becomes an ordinary rowid table, as `messages` did in 2. Keyed by (session, seq),
  // every insert went to the leaf of its session somewhere in the middle of the b-tree, with its
  // body inline: inserting an event cost 2-3.5 times what it costs appended at the table's end
  // with a small index entry (46-187 µs against 26-60, bodies of 300 B to 8 KB, commit included).
  // Events were the store's costliest write. Copied in (session, seq) order, leaving behind events
  // of sessions deleted with foreign keys off, as 2 did; the old pages are reused by new rows.
  `
  CREATE TABLE events_v7 (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  INSERT INTO events_v7 (session_id, seq, body)
    SELECT session_id, seq, body FROM events WHERE session_id IN (SELECT id FROM sessions) ORDER BY session_id, seq;
  DROP TABLE events;
  ALTER TABLE events_v7 RENAME TO events;
  -- A session's events in order, one per seq, and the cascade when a session is deleted.
  CREATE UNIQUE INDEX events_in_order ON events (session_id, seq);
  `,
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`the database has schema version ${current}, newer than this goosed knows (${migrations.length}); upgrade goosed`);
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  // Migration 2 copied every message and left the old table's pages free inside the file (more than
  // half of it, in a database of long histories): hand them back to the disk once. VACUUM cannot
  // run inside the migration's transaction; if it fails (say, for want of disk space to rebuild the
  // file) nothing is lost: the database is complete, and new rows reuse the free pages.
  if (current === 1) {
    try {
      db.exec('VACUUM');
    } catch {
      // Kept as it is; see above.
    }
  }
}
