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
}
