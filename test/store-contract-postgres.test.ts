import { describe, expect, it } from 'vitest';
import { MIGRATION_LOCK, migrations } from '../src/store/postgres/migrations.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { waitFor } from './support/goosed.js';
import { createTestDatabase, withClient } from './support/postgres.js';
import { storeContract } from './support/store-contract.js';

// The store contract suite against the PostgreSQL store, each test on a database of its own, with
// what several instances on one database need of it besides.

storeContract(
  'PostgreSQL',
  async () => {
    const url = await createTestDatabase();
    const open = () => PostgresStore.open({ url });
    return {
      store: await open(),
      reopen: open,
      alongside: open,
      // As a restart of the database or a network fault would: the listening connections end.
      cutListeners: async () => {
        const database = new URL(url).pathname.slice(1);
        await withClient(async (client) => {
          await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'goosed listener' AND datname = $1`, [database]);
        });
      },
    };
  },
  { persists: true, alongside: true, shared: true },
);

describe('migrations on PostgreSQL', () => {
  it('run once when several instances start together on a new database', async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open({ url })));
    try {
      const versions = await withClient((client) => client.query('SELECT version FROM schema_migrations ORDER BY version'), url);
      expect(versions.rows).toEqual(migrations.map((_, index) => ({ version: index + 1 })));
      // Every instance works on the one schema.
      await stores[0].createSession({ id: 's', name: 's', working_directory: '/tmp', execution_mode: null, created_at: '2020-01-01T00:00:00.000Z' });
      for (const store of stores) expect((await store.getSession('s'))!.name).toBe('s');
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('wait while another instance holds the migration lock, then find the work done', async () => {
    const url = await createTestDatabase();
    await withClient(async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const opening = PostgresStore.open({ url });
      // The opening instance is seen waiting on the lock, and has created nothing yet.
      await waitFor(async () => (await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'advisory' AND datname = current_database()`)).rows[0].n, (n) => n === 1);
      expect((await holder.query(`SELECT to_regclass('schema_migrations') AS found`)).rows[0].found).toBeNull();
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      const store = await opening;
      await store.close();
      expect((await holder.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBe(migrations.length);
    }, url);
  });

  it('let statements wait their turn for a connection of a full pool, longer than a connect may take', async () => {
    const url = await createTestDatabase();
    const store = await PostgresStore.open({ url, poolSize: 1, connectTimeoutMs: 1000 });
    try {
      await store.createSession({ id: 's', name: 's', working_directory: '/tmp', execution_mode: null, created_at: '2020-01-01T00:00:00.000Z' });
      await withClient(async (holder) => {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
        // The pool's one connection waits on the lock; the next statement waits for that connection.
        const first = store.getSession('s');
        await waitFor(async () => (await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).rows[0].n, (n) => n === 1);
        const queued = store.getSession('s');
        // Held past the connect timeout: a wait for the pool is not a connect (it failed with "timeout exceeded when trying to connect").
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await holder.query('COMMIT');
        expect((await first)?.name).toBe('s');
        expect((await queued)?.name).toBe('s');
      }, url);
    } finally {
      await store.close();
    }
  });

  it('bring a database of schema 1 up to date, keeping what it holds', async () => {
    const url = await createTestDatabase();
    // As the first released goosed on PostgreSQL left it: schema 1, a session, a message, an extension, a provider.
    await withClient(async (client) => {
      await client.query(migrations[0]);
      await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      await client.query('INSERT INTO schema_migrations (version) VALUES (1)');
      await client.query(`INSERT INTO sessions (id, name, working_directory, created_at, updated_at, message_count, last_position) VALUES ('s', 'old', '/tmp', '2020', '2020', 1, 1)`);
      await client.query(`INSERT INTO session_seq (session_id) VALUES ('s')`);
      await client.query(`INSERT INTO messages (session_id, position, id, role, content, parts, status, created_at) VALUES ('s', 1, 'm1', 'user', 'hi', '[]', 'complete', '2020')`);
      await client.query(`INSERT INTO extensions (id, name, type, config, enabled, created_at) VALUES ('e1', 'files', 'stdio', '{"command":"x"}', true, '2020')`);
      await client.query(`INSERT INTO providers (name, model, updated_at) VALUES ('openai', 'gpt', '2020')`);
    }, url);
    const store = await PostgresStore.open({ url });
    try {
      expect(await store.getSession('s')).toMatchObject({ name: 'old', message_count: 1, context: { tokens: 0, limit: null }, provider: null, model: null });
      expect(await store.getMessage('s', 'm1')).toMatchObject({ content: 'hi', provider: null, model: null });
      expect(await store.extensions.list()).toEqual([{ id: 'e1', name: 'files', type: 'stdio', config: { command: 'x' }, enabled: true, created_at: '2020', session_id: null }]);
      expect(await store.providers.get('openai')).toMatchObject({ model: 'gpt', context_limit: null, output_limit: null });
      // The name is now unique per scope: the session may have a "files" of its own.
      await store.extensions.insert({ id: 'e2', name: 'files', type: 'stdio', config: {}, enabled: true, created_at: '2021', session_id: 's' });
      expect((await store.extensions.list('s')).map((e) => e.id)).toEqual(['e2']);
    } finally {
      await store.close();
    }
  });

  it('refuse a database that a newer goosed migrated', async () => {
    const url = await createTestDatabase();
    await (await PostgresStore.open({ url })).close();
    await withClient((client) => client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migrations.length + 1]), url);
    await expect(PostgresStore.open({ url })).rejects.toThrow(`schema version ${migrations.length + 1}, newer than this goosed knows`);
  });
});
