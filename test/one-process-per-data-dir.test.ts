// One goosed per data directory: a second one refuses to start, naming the one that serves, and never
// touches the database; the one that serves publishes its address in <data-dir>/server.json while it
// runs (owner-only: it may hold the key), and removes it when it stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDirectory, startTestServer, temporaryDirectory, type GoosedProcess } from './support/goosed.js';
import { buildGoosedBundle, runBundledGoosed, spawnBundledGoosed, type GoosedBundle } from './support/goosed-bundle.js';

let bundle: GoosedBundle;
beforeAll(async () => {
  bundle = await buildGoosedBundle();
});
const directories: string[] = [];
afterAll(() => {
  bundle?.remove();
  directories.forEach(removeDirectory);
});

function freshDirectory(): { dataDir: string; args: string[] } {
  const dir = temporaryDirectory('goosed-one-per-dir-');
  directories.push(dir);
  const dataDir = join(dir, 'data');
  return { dataDir, args: ['--port', '0', '--data-dir', dataDir, '--config', join(dir, 'config.yaml')] };
}

const runtimeFile = (dataDir: string) => join(dataDir, 'server.json');
const readRuntimeFile = (dataDir: string) => JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8'));
const refusal = (pid: number | undefined, url: string) => `goosed: another goosed (pid ${pid}) is serving this data directory at ${url}\n`;

type Run = Omit<GoosedProcess, 'url'>;

/** How a run's start ends: it listens (with its URL), or it exits (with its code). */
function startOutcome(run: Run): Promise<{ url: string } | { code: number | null }> {
  return new Promise((resolve) => {
    const check = () => {
      const match = /goosed listening on (http:\/\/\S+)/.exec(run.stdout());
      if (match) resolve({ url: match[1] });
    };
    run.child.stdout!.on('data', check);
    void run.exited.then((code) => resolve({ code }));
  });
}

async function stop(run: Run, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
  return run.exited;
}

/** The database's bytes (not -shm: the readers' marks live there). */
function databaseDigests(dataDir: string): Array<string | null> {
  return ['goosed.db', 'goosed.db-wal'].map((name) => {
    const file = join(dataDir, name);
    return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : null;
  });
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a second goosed on a data directory in use', () => {
  it('exits non-zero with one line naming the first, which keeps serving, its database untouched', async () => {
    const { dataDir, args } = freshDirectory();
    const first = await spawnBundledGoosed(bundle, args);
    try {
      const session = await (await post(`${first.url}/api/sessions`, { name: 'before' })).json();
      const before = databaseDigests(dataDir);

      const second = runBundledGoosed(bundle, args);
      try {
        expect(await startOutcome(second)).toEqual({ code: 1 });
      } finally {
        await stop(second, 'SIGKILL');
      }
      expect(second.stderr()).toBe(refusal(first.child.pid, first.url));
      expect(second.stdout()).toBe('');
      expect(databaseDigests(dataDir)).toEqual(before);

      const listed = await (await fetch(`${first.url}/api/sessions`)).json();
      expect(listed.map((s: { id: string }) => s.id)).toEqual([session.id]);
      expect((await post(`${first.url}/api/sessions`, { name: 'after' })).status).toBe(201);
      expect(readRuntimeFile(dataDir)).toMatchObject({ pid: first.child.pid, url: first.url });
    } finally {
      expect(await stop(first, 'SIGINT')).toBe(0);
    }
    expect(existsSync(runtimeFile(dataDir))).toBe(false);
  });

  it('of two started at the same moment on an empty directory, exactly one serves and the other names it', async () => {
    for (let round = 0; round < 3; round++) {
      const { dataDir, args } = freshDirectory();
      const runs = [runBundledGoosed(bundle, args), runBundledGoosed(bundle, args)];
      try {
        const outcomes = await Promise.all(runs.map(startOutcome));
        const winner = outcomes.findIndex((outcome) => 'url' in outcome);
        expect(winner, JSON.stringify(outcomes)).not.toBe(-1);
        const loser = 1 - winner;
        const url = (outcomes[winner] as { url: string }).url;
        expect(outcomes[loser]).toEqual({ code: 1 });
        expect(runs[loser].stderr()).toBe(refusal(runs[winner].child.pid, url));
        expect((await fetch(`${url}/api/status`)).status).toBe(200);
        expect(readRuntimeFile(dataDir)).toMatchObject({ pid: runs[winner].child.pid, url });
        expect(await stop(runs[winner])).toBe(0);
      } finally {
        await Promise.all(runs.map((run) => stop(run, 'SIGKILL')));
      }
    }
  });
});

describe('the runtime file, <data-dir>/server.json', () => {
  it('holds the address (the real port of --port 0) and the key, owner-only, while goosed runs; SIGTERM removes it', async () => {
    const { dataDir, args } = freshDirectory();
    const key = 'runtime-file-test-key-0123456789abcdef';
    const goosed = await spawnBundledGoosed(bundle, args, { GOOSED_SECRET_KEY: key });
    try {
      const { version } = await (await fetch(`${goosed.url}/api/status`)).json();
      const info = readRuntimeFile(dataDir);
      const port = Number(new URL(goosed.url).port);
      expect(port).toBeGreaterThan(0);
      expect(info).toEqual({ pid: goosed.child.pid, url: goosed.url, host: '127.0.0.1', port, version, started_at: expect.any(String), secret_key: key });
      expect(Number.isNaN(Date.parse(info.started_at))).toBe(false);
      expect(statSync(runtimeFile(dataDir)).mode & 0o777).toBe(0o600);
      // What another local tool does with it: call the server.
      expect((await fetch(`${info.url}/api/sessions`, { headers: { authorization: `Bearer ${info.secret_key}` } })).status).toBe(200);
    } finally {
      expect(await stop(goosed)).toBe(0);
    }
    expect(existsSync(runtimeFile(dataDir))).toBe(false);
  });

  it('left behind by a SIGKILL, or naming a live process that is not goosed, is replaced by the next start', async () => {
    const { dataDir, args } = freshDirectory();
    const killed = await spawnBundledGoosed(bundle, args);
    expect(await stop(killed, 'SIGKILL')).toBe(-1);
    expect(readRuntimeFile(dataDir)).toMatchObject({ pid: killed.child.pid, url: killed.url });

    const next = await spawnBundledGoosed(bundle, args);
    try {
      expect(readRuntimeFile(dataDir)).toMatchObject({ pid: next.child.pid, url: next.url, secret_key: null });
    } finally {
      expect(await stop(next)).toBe(0);
    }

    // A pid reused after a crash: alive (this test's own process), but not a goosed holding the directory.
    const reused = { pid: process.pid, url: 'http://127.0.0.1:9', host: '127.0.0.1', port: 9, version: '0.1.0', started_at: new Date().toISOString(), secret_key: null };
    writeFileSync(runtimeFile(dataDir), JSON.stringify(reused), { mode: 0o600 });
    const after = await spawnBundledGoosed(bundle, args);
    try {
      expect(readRuntimeFile(dataDir)).toMatchObject({ pid: after.child.pid, url: after.url });
    } finally {
      expect(await stop(after)).toBe(0);
    }
  });
});

describe('in one process', () => {
  it('a second server on the directory is refused, and close() releases it for the next', async () => {
    const dataDir = temporaryDirectory('goosed-one-per-dir-');
    directories.push(dataDir);
    const first = await startTestServer({ dataDir });
    try {
      await expect(startTestServer({ dataDir })).rejects.toThrow(`another goosed (pid ${process.pid}) is serving this data directory at ${first.url}`);
      expect((await first.request('/api/sessions')).status).toBe(200);
    } finally {
      await first.close();
    }
    expect(existsSync(runtimeFile(dataDir))).toBe(false);
    const next = await startTestServer({ dataDir });
    try {
      expect(readRuntimeFile(dataDir)).toMatchObject({ pid: process.pid, url: next.url });
    } finally {
      await next.close();
    }
  });
});
