import type pg from 'pg';

// Each entry moves the schema one version up; `schema_migrations` records the versions applied.
// Append only: a released migration is never edited.
//
// Text that is compared, sorted or used as a key is COLLATE "C" (byte order, as SQLite sorts):
// lists come in the same order from either store, and comparisons cost no locale rules.
export const migrations: readonly string[] = [
  `
  CREATE TABLE sessions (
    id text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    working_directory text NOT NULL,
    execution_mode text,
    status text NOT NULL DEFAULT 'idle',
    created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    message_count bigint NOT NULL DEFAULT 0,
    last_position bigint NOT NULL DEFAULT 0,
    input_tokens bigint NOT NULL DEFAULT 0,
    output_tokens bigint NOT NULL DEFAULT 0
  );
  CREATE INDEX sessions_by_update ON sessions (updated_at DESC, id DESC);
  CREATE INDEX sessions_busy ON sessions (id) WHERE status <> 'idle';

  -- The last seq handed out in a session (blocks by reserveSeq, single events by SharedEvents):
  -- a narrow row of its own, updated at every numbered event without rewriting the session's.
  CREATE TABLE session_seq (
    session_id text COLLATE "C" PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL DEFAULT 0
  );

  CREATE TABLE messages (
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position bigint NOT NULL,
    id text COLLATE "C" NOT NULL UNIQUE,
    client_id text COLLATE "C",
    role text NOT NULL,
    content text NOT NULL,
    parts text NOT NULL,
    status text NOT NULL,
    created_at text NOT NULL,
    usage text,
    error text,
    reply_to text COLLATE "C",
    PRIMARY KEY (session_id, position)
  );
  -- Idempotency across instances: a client id is taken once per session, whoever inserts it.
  CREATE UNIQUE INDEX messages_by_client_id ON messages (session_id, client_id) WHERE client_id IS NOT NULL;
  CREATE INDEX messages_by_reply_to ON messages (session_id, reply_to, position) WHERE reply_to IS NOT NULL;

  CREATE TABLE events (
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (session_id, seq)
  );

  -- Live events (text deltas) for followers on other instances, kept a while, then pruned.
  -- Unlogged: no write-ahead log for them, and a crash of the database forgets them (a follower
  -- replaying across them gets a resync, as after a crash of goosed).
  CREATE UNLOGGED TABLE live_events (
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    body text NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, seq)
  );
  CREATE INDEX live_events_by_age ON live_events (stored_at);

  CREATE TABLE approvals (
    id text COLLATE "C" PRIMARY KEY,
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    message_id text COLLATE "C" NOT NULL,
    tool_call_id text NOT NULL,
    tool text NOT NULL,
    arguments text NOT NULL,
    reason text NOT NULL,
    status text NOT NULL,
    decision text,
    message text,
    created_at text COLLATE "C" NOT NULL,
    resolved_at text
  );
  CREATE INDEX approvals_by_session ON approvals (session_id, status);

  -- One running reply per session across instances: the row is the lock, renewed by its owner.
  CREATE TABLE reply_leases (
    session_id text COLLATE "C" PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    owner text COLLATE "C" NOT NULL,
    reply_id text,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX reply_leases_by_owner ON reply_leases (owner);
  CREATE INDEX reply_leases_by_expiry ON reply_leases (expires_at);

  CREATE TABLE kv (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);

  CREATE TABLE providers (
    name text COLLATE "C" PRIMARY KEY,
    api_key text,
    model text NOT NULL,
    base_url text,
    updated_at text NOT NULL
  );

  CREATE TABLE extensions (
    id text COLLATE "C" PRIMARY KEY,
    name text COLLATE "C" NOT NULL UNIQUE,
    type text NOT NULL,
    config text NOT NULL,
    enabled boolean NOT NULL,
    created_at text COLLATE "C" NOT NULL
  );

  CREATE TABLE permissions (
    tool text COLLATE "C" PRIMARY KEY,
    decision text NOT NULL,
    updated_at text NOT NULL
  );

  -- Server-wide settings changed on one instance are news for all: every write to their tables
  -- notifies, whoever writes (goosed, or a person in psql).
  CREATE FUNCTION goosed_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('goosed_settings', TG_TABLE_NAME);
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER providers_changed AFTER INSERT OR UPDATE OR DELETE ON providers FOR EACH STATEMENT EXECUTE FUNCTION goosed_settings_changed();
  CREATE TRIGGER extensions_changed AFTER INSERT OR UPDATE OR DELETE ON extensions FOR EACH STATEMENT EXECUTE FUNCTION goosed_settings_changed();
  CREATE TRIGGER permissions_changed AFTER INSERT OR UPDATE OR DELETE ON permissions FOR EACH STATEMENT EXECUTE FUNCTION goosed_settings_changed();
  CREATE TRIGGER kv_changed AFTER INSERT OR UPDATE OR DELETE ON kv FOR EACH STATEMENT EXECUTE FUNCTION goosed_settings_changed();
  `,
  // 2: what SQLite's 3, 4 and 5 added. Context management (docs/context.md): a session's context as
  // of its last model call, a provider's configured window, summaries of the older conversation. The
  // provider and model a session chose, and those that wrote each reply. Extensions of one session,
  // deleted with it: a name is unique within its scope (server-wide, or that session).
  `
  ALTER TABLE sessions ADD COLUMN context_tokens bigint NOT NULL DEFAULT 0;
  ALTER TABLE sessions ADD COLUMN context_limit bigint;
  ALTER TABLE sessions ADD COLUMN provider text;
  ALTER TABLE sessions ADD COLUMN model text;
  ALTER TABLE messages ADD COLUMN provider text;
  ALTER TABLE messages ADD COLUMN model text;
  ALTER TABLE providers ADD COLUMN context_limit bigint;
  ALTER TABLE providers ADD COLUMN output_limit bigint;

  CREATE TABLE summaries (
    id text COLLATE "C" PRIMARY KEY,
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- The order summaries were added in (SQLite's rowid): created_at may repeat.
    added bigint GENERATED ALWAYS AS IDENTITY,
    text text NOT NULL,
    through_message_id text COLLATE "C" NOT NULL,
    tokens_before bigint NOT NULL,
    tokens_after bigint NOT NULL,
    created_at text NOT NULL
  );
  CREATE INDEX summaries_by_session ON summaries (session_id, added);

  ALTER TABLE extensions ADD COLUMN session_id text COLLATE "C" REFERENCES sessions (id) ON DELETE CASCADE;
  ALTER TABLE extensions DROP CONSTRAINT extensions_name_key;
  CREATE UNIQUE INDEX extensions_by_name ON extensions (name) WHERE session_id IS NULL;
  CREATE UNIQUE INDEX extensions_of_session ON extensions (session_id, name) WHERE session_id IS NOT NULL;
  `,
  // 3: what SQLite's 6 added. Text a running reply streamed since its message was last saved whole,
  // one row per save, in the order added (Store.appendMessageText); the next whole save drops them.
  `
  CREATE TABLE message_appends (
    message_id text COLLATE "C" NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    added bigint GENERATED ALWAYS AS IDENTITY,
    text text NOT NULL
  );
  CREATE INDEX message_appends_by_message ON message_appends (message_id, added);
  `,
];

/** The advisory lock migrations run under: one key for goosed's schema in a database ('goosed' in ASCII). */
export const MIGRATION_LOCK = '113728308864356';

/**
 * Brings the database to the newest schema. Instances that start together wait for each other on
 * an advisory lock: one migrates, the others find the work done.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    // Session-level: held across the migrations' own transactions, released on unlock or disconnect.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ current: number }>('SELECT COALESCE(MAX(version), 0)::integer AS current FROM schema_migrations');
      const current = rows[0].current;
      if (current > migrations.length) {
        throw new Error(`the database has schema version ${current}, newer than this goosed knows (${migrations.length}); upgrade goosed`);
      }
      for (let version = current; version < migrations.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query(migrations[version]);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
