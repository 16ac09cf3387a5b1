import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGoosed, spawnGoosed, temporaryDirectory, waitFor } from './support/goosed.js';
import { buildGoosedBundle, spawnBundledGoosed } from './support/goosed-bundle.js';

function dirs() {
  const dir = temporaryDirectory();
  return { dir, args: ['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml')] };
}

async function expectFailure(args: string[], pattern: RegExp, env: NodeJS.ProcessEnv = {}) {
  const run = runGoosed(args, env);
  const code = await run.exited;
  expect(code).not.toBe(0);
  const lines = run.stderr().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

/** Writes `text` to `name` in `dir`; its path. */
function written(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the goosed command', () => {
  it('prints where it listens, answers, and exits 0 on SIGTERM', async () => {
    const { args } = dirs();
    const goosed = await spawnGoosed(args);
    expect(goosed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const status = await fetch(`${goosed.url}/api/status`);
    expect(await status.json()).toMatchObject({ status: 'ok' });
    goosed.child.kill('SIGTERM');
    expect(await goosed.exited).toBe(0);
  });

  it('shuts down cleanly on a SIGTERM sent the moment it prints where it listens', async () => {
    // Whoever reads the URL may signal at once: the handler must be in place before it is printed.
    const bundle = await buildGoosedBundle();
    try {
      for (let run = 0; run < 6; run++) {
        const { args } = dirs();
        const goosed = await spawnBundledGoosed(bundle, args);
        goosed.child.kill('SIGTERM');
        expect(await goosed.exited, `run ${run}: ${goosed.stderr()}`).toBe(0);
      }
    } finally {
      bundle.remove();
    }
  });

  // One goosed start per case: several in one test outlast its time on a loaded machine.
  const badFlags: Array<[string, string[], RegExp]> = [
    ['an unknown flag', ['--no-such-flag'], /unknown option/],
    ['a port that is not a number', ['--port', 'eighty'], /invalid port/],
    ['a port out of range', ['--port', '70000'], /invalid port/],
    ['a bad log level', ['--log-level', 'loud', '--port', '0'], /invalid log level/],
    ['a bad idle exit', ['--idle-exit', 'soon', '--port', '0'], /invalid idle exit "soon"/],
  ];
  it.each(badFlags)('refuses %s with one line and a non-zero exit', async (_, args, message) => {
    await expectFailure(args, message);
  });

  it('refuses a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { dir } = dirs();
      await expectFailure(['--port', String(port), '--data-dir', join(dir, 'data'), '--config', join(dir, 'c.yaml')], /already in use/);
    } finally {
      blocker.close();
    }
  });

  // One goosed start per case: a start under tsx takes seconds on a loaded machine, and four of
  // them in one test outlasted its time.
  const badConfigs: Array<[string, (dir: string) => string[], RegExp]> = [
    ['an invalid value', (dir) => ['--config', written(dir, 'invalid.yaml', 'execution_mode: yolo\n'), '--port', '0'], /invalid at execution_mode/],
    ['broken YAML', (dir) => ['--config', written(dir, 'broken.yaml', 'port: [1, 2\n'), '--port', '0'], /not valid YAML/],
    ['an unknown key', (dir) => ['--config', written(dir, 'unknown.yaml', 'turbo: true\n'), '--port', '0'], /turbo/],
    ['a directory', (dir) => ['--config', dir, '--port', '0'], /cannot read config file/],
  ];
  it.each(badConfigs)('refuses a config file with %s', async (_, args, message) => {
    await expectFailure(args(dirs().dir), message);
  });

  it.runIf(process.getuid?.() !== 0)('refuses an unreadable config file', async () => {
    const unreadable = written(dirs().dir, 'unreadable.yaml', 'port: 0\n');
    chmodSync(unreadable, 0);
    await expectFailure(['--config', unreadable], /cannot read config file/);
  });

  it('takes settings from the environment, and flags over the environment', async () => {
    const { dir } = dirs();
    const goosed = await spawnGoosed(['--port', '0'], { GOOSED_DATA_DIR: join(dir, 'd'), GOOSED_CONFIG: join(dir, 'c.yaml'), GOOSED_PORT: '1', GOOSED_SECRET_KEY: 'from-the-environment-123' });
    try {
      expect((await fetch(`${goosed.url}/api/sessions`)).status).toBe(401);
      expect((await fetch(`${goosed.url}/api/sessions`, { headers: { 'x-secret-key': 'from-the-environment-123' } })).status).toBe(200);
    } finally {
      goosed.child.kill('SIGTERM');
      await goosed.exited;
    }
  });

  it('keeps settings and sessions across a restart through the config file and data directory', async () => {
    const { args } = dirs();
    const first = await spawnGoosed(args);
    await fetch(`${first.url}/api/config`, { method: 'PATCH', body: JSON.stringify({ execution_mode: 'chat', max_turns: 3 }), headers: { 'content-type': 'application/json' } });
    const session = await (await fetch(`${first.url}/api/sessions`, { method: 'POST', body: JSON.stringify({ name: 'kept' }), headers: { 'content-type': 'application/json' } })).json();
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = await spawnGoosed(args);
    try {
      expect(await (await fetch(`${second.url}/api/config`)).json()).toMatchObject({ execution_mode: 'chat', max_turns: 3 });
      expect(await (await fetch(`${second.url}/api/sessions/${session.id}`)).json()).toMatchObject({ name: 'kept' });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it("starts the seed's `goosed --host 0.0.0.0` safely: a generated key, printed once, required", async () => {
    const { args } = dirs();
    const goosed = await spawnGoosed(['--host', '0.0.0.0', ...args]);
    try {
      const key = (await waitFor(() => /^\s+(\S{40,})$/m.exec(goosed.stdout())))![1];
      const local = goosed.url.replace('0.0.0.0', '127.0.0.1');
      expect((await fetch(`${local}/api/status`)).status).toBe(200);
      expect((await fetch(`${local}/api/sessions`)).status).toBe(401);
      expect((await fetch(`${local}/api/sessions`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
      expect(goosed.stdout().split(key).length - 1).toBe(2); // the key line and the URL, nothing else
    } finally {
      goosed.child.kill('SIGTERM');
      await goosed.exited;
    }
  });

  it('logs one JSON line per request at info (method, path, status, duration), none at warn', async () => {
    const { args } = dirs();
    const goosed = await spawnGoosed([...args, '--log-level', 'info']);
    try {
      await fetch(`${goosed.url}/api/status`);
      await fetch(`${goosed.url}/api/sessions/nope`, { headers: { 'x-request-id': 'find-me-42' } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = goosed.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      const requests = lines.filter((line) => line.msg === 'request');
      expect(requests).toContainEqual(expect.objectContaining({ method: 'GET', path: '/api/status', status: 200, ms: expect.any(Number), level: 30 }));
      expect(requests).toContainEqual(expect.objectContaining({ path: '/api/sessions/nope', status: 404, req_id: 'find-me-42' }));
    } finally {
      goosed.child.kill('SIGTERM');
      await goosed.exited;
    }
    const quiet = await spawnGoosed([...dirs().args, '--log-level', 'warn']);
    try {
      await fetch(`${quiet.url}/api/status`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(quiet.stdout()).not.toContain('"msg":"request"');
    } finally {
      quiet.child.kill('SIGTERM');
      await quiet.exited;
    }
  });
});
