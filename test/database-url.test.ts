import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { runGoosed, spawnGoosed, temporaryDirectory, type GoosedProcess } from './support/goosed.js';
import { createTestDatabase } from './support/postgres.js';

// `--database-url`, GOOSED_DATABASE_URL and `database_url` in the config file put goosed on
// PostgreSQL; the URL's password is never printed or logged.

async function stop(goosed: GoosedProcess): Promise<void> {
  goosed.child.kill('SIGTERM');
  await goosed.exited;
}

/** Creates a session through goosed's API: its id. */
async function createSessionAt(url: string, name: string): Promise<string> {
  const response = await fetch(`${url}/api/sessions`, { method: 'POST', body: JSON.stringify({ name }), headers: { 'content-type': 'application/json' } });
  expect(response.status).toBe(201);
  return (await response.json()).id;
}

/** The name of a session as the database holds it, read past goosed; null when it is not there. */
async function sessionNameIn(databaseUrl: string, id: string): Promise<string | null> {
  const store = await PostgresStore.open({ url: databaseUrl });
  try {
    return (await store.getSession(id))?.name ?? null;
  } finally {
    await store.close();
  }
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('goosed on PostgreSQL', () => {
  it('keeps its data in the database of --database-url, none in the data directory, and logs the URL without its password', async () => {
    const databaseUrl = await createTestDatabase();
    const dir = temporaryDirectory();
    const goosed = await spawnGoosed(['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml'), '--database-url', databaseUrl, '--log-level', 'debug']);
    let id: string;
    try {
      id = await createSessionAt(goosed.url, 'kept in PostgreSQL');
    } finally {
      await stop(goosed);
    }
    expect(await sessionNameIn(databaseUrl, id)).toBe('kept in PostgreSQL');
    expect(existsSync(join(dir, 'data', 'goosed.db'))).toBe(false);

    const started = goosed
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find((line) => line.msg === 'started');
    const masked = new URL(databaseUrl);
    if (masked.password) masked.password = '********';
    expect(started.database).toBe(masked.toString());
    const password = new URL(databaseUrl).password;
    if (password) expect(goosed.stdout() + goosed.stderr()).not.toContain(password);
  });

  // Three goosed processes through tsx, one after another: more than the default time on a loaded machine.
  it('takes the URL from GOOSED_DATABASE_URL or the config file: the flag wins over the environment, the environment over the file', { timeout: 90_000 }, async () => {
    const [fromFlag, fromEnvironment, fromFile] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
    const dir = temporaryDirectory();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, `database_url: ${JSON.stringify(fromFile)}\n`);
    const base = ['--port', '0', '--data-dir', join(dir, 'data'), '--config', config];
    const where = async (args: string[], env: NodeJS.ProcessEnv) => {
      const goosed = await spawnGoosed([...base, ...args], env);
      try {
        const id = await createSessionAt(goosed.url, 'here');
        const found = await Promise.all([fromFlag, fromEnvironment, fromFile].map((url) => sessionNameIn(url, id)));
        return ['flag', 'environment', 'file'].filter((_, index) => found[index] !== null);
      } finally {
        await stop(goosed);
      }
    };
    expect(await where([], {})).toEqual(['file']);
    expect(await where([], { GOOSED_DATABASE_URL: fromEnvironment })).toEqual(['environment']);
    expect(await where(['--database-url', fromFlag], { GOOSED_DATABASE_URL: fromEnvironment })).toEqual(['flag']);
  });

  it('refuses a URL that is not PostgreSQL, or a database it cannot reach, with one line that hides the password', async () => {
    const password = 'never-shown-0a1b2c';
    const failure = async (args: string[]) => {
      const run = runGoosed(['--port', '0', '--data-dir', join(temporaryDirectory(), 'data'), ...args]);
      expect(await run.exited).not.toBe(0);
      expect(run.stdout() + run.stderr()).not.toContain(password);
      const lines = run.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      return lines[0];
    };
    expect(await failure(['--database-url', `mysql://root:${password}@127.0.0.1/goosed`])).toMatch(
      /^goosed: invalid database URL "mysql:\/\/root:\*{8}@127\.0\.0\.1\/goosed": use postgres:\/\//,
    );
    expect(await failure(['--database-url', `not a url ${password}`])).toMatch(/invalid database URL/);
    const port = await closedPort();
    expect(await failure(['--database-url', `postgres://goosed:${password}@127.0.0.1:${port}/goosed`])).toMatch(
      new RegExp(`^goosed: cannot open the database postgres://goosed:\\*{8}@127\\.0\\.0\\.1:${port}/goosed: .*ECONNREFUSED`),
    );
  });
});
