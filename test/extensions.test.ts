import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, removeDirectory, temporaryDirectory, waitFor, type TestServer } from './support/goosed.js';
import { addExtension, getExtension, stdioFixtureConfig } from './support/extensions.js';
import { startMcpHttpServer, type McpHttpServer } from './fixtures/mcp-http-server.js';
import { exposedToolName } from '../src/extensions/exposed-tool-name.js';

let goosed: TestServer;
let mcpHttp: McpHttpServer;

beforeAll(async () => {
  goosed = await startTestServer();
  mcpHttp = await startMcpHttpServer();
});
afterAll(async () => {
  await goosed.close();
  await mcpHttp.close();
});

const patch = (path: string, json?: unknown) => goosed.request(path, { method: 'PATCH', json });

describe('adding extensions, as the seed shows it', () => {
  it('adds the developer extension from {name, config}: 201, builtin, running, with its tools', async () => {
    const response = await goosed.request('/api/extensions', { method: 'POST', json: { name: 'developer', config: { allow_shell: true } } });
    expect(response.status).toBe(201);
    const extension = await response.json();
    expect(extension).toMatchObject({ name: 'developer', type: 'builtin', config: { allow_shell: true }, enabled: true, state: 'running', last_error: null });
    const tools = Object.fromEntries(extension.tools.map((tool: { name: string; read_only: boolean }) => [tool.name, tool.read_only]));
    expect(tools).toMatchObject({ developer__shell: false, developer__view: true, developer__create: false, developer__str_replace: false });

    const list = await (await goosed.request('/api/extensions')).json();
    expect(Array.isArray(list)).toBe(true);
    expect(list.find((item: { name: string }) => item.name === 'developer')).toMatchObject({ id: extension.id });
    // By id and by name.
    expect((await getExtension(goosed, extension.id)).name).toBe('developer');
    expect((await getExtension(goosed, 'developer')).id).toBe(extension.id);
  });

  it('infers stdio from config.command and streamable_http from config.url, or takes an explicit type', async () => {
    const stdio = await addExtension(goosed, { name: 'later-stdio', config: { command: '/nonexistent/server' }, enabled: false });
    expect(stdio).toMatchObject({ type: 'stdio', state: 'stopped', enabled: false, tools: [] });
    const http = await addExtension(goosed, { name: 'later-http', config: { url: 'http://127.0.0.1:1/mcp' }, enabled: false });
    expect(http.type).toBe('streamable_http');
    const explicit = await addExtension(goosed, { name: 'explicit', type: 'stdio', config: { command: 'x' }, enabled: false });
    expect(explicit.type).toBe('stdio');
  });

  it('refuses a config it cannot use with 400 naming the field, and a name in use with 409', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'developer2', type: 'builtin', config: {} }, /Unknown built-in extension "developer2"/],
      [{ name: 'mystery', config: {} }, /config\.command.*config\.url/],
      [{ name: 'dev-bad', type: 'builtin', config: { allow_shell: 'yes' } }, /Unknown built-in/],
      [{ name: 'bad-args', config: { command: 'x', args: 3 } }, /config\.args/],
      [{ name: 'bad-url', config: { url: 'ftp://example.com' } }, /config\.url/],
      [{ name: 'bad-headers', config: { url: 'http://127.0.0.1:1/mcp', headers: { a: 1 } } }, /config\.headers\.a/],
      [{ name: 'two__parts', config: { command: 'x' } }, /name/],
      [{ name: '', config: { command: 'x' } }, /name/],
    ];
    for (const [body, message] of cases) {
      const response = await goosed.request('/api/extensions', { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = await response.json();
      expect(error.code).toMatch(/invalid_extension_config|invalid_request/);
      expect(error.error).toMatch(message);
    }
    const duplicate = await goosed.request('/api/extensions', { method: 'POST', json: { name: 'developer', config: {} } });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ code: 'extension_exists' });
  });

  it('says which field is wrong in the developer config', async () => {
    const fresh = await startTestServer();
    try {
      const bad = await fresh.request('/api/extensions', { method: 'POST', json: { name: 'developer', config: { allow_shell: 'yes' } } });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toMatch(/config\.allow_shell must be true or false/);
      expect(await (await fresh.request('/api/extensions')).json()).toEqual([]);
      // A typo must not silently leave the shell off (or a header unset).
      const typo = await fresh.request('/api/extensions', { method: 'POST', json: { name: 'developer', config: { allow_shel: true } } });
      expect(typo.status).toBe(400);
      expect((await typo.json()).error).toContain('allow_shel');
      const mcpTypo = await fresh.request('/api/extensions', { method: 'POST', json: { name: 'remote', config: { url: 'http://127.0.0.1:1/mcp', header: { a: 'b' } } } });
      expect(mcpTypo.status).toBe(400);
      expect((await mcpTypo.json()).error).toContain('header');
    } finally {
      await fresh.close();
    }
  });
});

describe('changing extensions', () => {
  it('toggles enabled ↔ disabled, by id or name; 404 for an unknown one', async () => {
    const added = await addExtension(goosed, { name: 'toggled', config: { command: '/nonexistent/server' }, enabled: false });
    const off = await (await patch(`/api/extensions/${added.id}/toggle`)).json();
    expect(off.enabled).toBe(true);
    const on = await (await patch('/api/extensions/toggled/toggle')).json();
    expect(on).toMatchObject({ enabled: false, state: 'stopped' });
    expect((await patch('/api/extensions/nope/toggle')).status).toBe(404);
    expect((await (await patch('/api/extensions/nope/toggle')).json()).code).toBe('not_found');
  });

  it('changes the config (validated first: a bad one changes nothing) and enabled', async () => {
    await addExtension(goosed, { name: 'changing', config: { command: 'first' }, enabled: false });
    const bad = await patch('/api/extensions/changing', { config: { command: 42 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('config.command');
    expect((await getExtension(goosed, 'changing')).config).toEqual({ command: 'first' });
    expect((await patch('/api/extensions/changing', { name: 'renamed' })).status).toBe(400);
    const changed = await (await patch('/api/extensions/changing', { config: { command: 'second', args: ['-v'] } })).json();
    expect(changed.config).toEqual({ command: 'second', args: ['-v'] });
    expect((await (await patch('/api/extensions/changing', { enabled: true })).json()).enabled).toBe(true);
    expect((await patch('/api/extensions/nope', { enabled: true })).status).toBe(404);
  });

  it('deletes: 204, then 404', async () => {
    await addExtension(goosed, { name: 'doomed', config: { command: 'x' }, enabled: false });
    expect((await goosed.request('/api/extensions/doomed', { method: 'DELETE' })).status).toBe(204);
    expect((await goosed.request('/api/extensions/doomed')).status).toBe(404);
    expect((await goosed.request('/api/extensions/doomed', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('secrets in extension configs', () => {
  it('masks header and env values and a URL password; sending the masks back keeps the real values', async () => {
    const stdio = await addExtension(goosed, {
      name: 'secret-stdio',
      config: { command: 'x', env: { API_TOKEN: 'tok-s3cret-value', PLAIN: 'also hidden' } },
      enabled: false,
    });
    expect(stdio.config.env).toEqual({ API_TOKEN: '********', PLAIN: '********' });
    const withPassword = await addExtension(goosed, { name: 'secret-url', config: { url: 'http://user:pa55word@127.0.0.1:1/mcp' }, enabled: false });
    expect(withPassword.config.url).toBe('http://user:********@127.0.0.1:1/mcp');

    const remote = await addExtension(goosed, { name: 'remote', config: { url: mcpHttp.url, headers: { 'x-api-key': 'key-one-s3cret' } } });
    expect(remote.config.headers).toEqual({ 'x-api-key': '********' });
    const all = await (await goosed.request('/api/extensions/start', { method: 'POST' })).text();
    expect(all).not.toContain('s3cret');
    expect(all).not.toContain('pa55word');
    expect(all).not.toContain('also hidden');

    // A client edits what GET showed (masks included) and sends it back with a new timeout.
    const shown = await getExtension(goosed, 'remote');
    const before = mcpHttp.requestHeaders.length;
    const updated = await patch('/api/extensions/remote', { config: { ...shown.config, timeout_ms: 5_000 } });
    expect(updated.status).toBe(200);
    expect((await (await goosed.request('/api/extensions/start', { method: 'POST' })).json()).find((e: { name: string }) => e.name === 'remote')).toMatchObject({
      state: 'running',
    });
    const sent = mcpHttp.requestHeaders.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((headers) => headers['x-api-key'] === 'key-one-s3cret')).toBe(true);

    const unknownMask = await patch('/api/extensions/remote', { config: { url: mcpHttp.url, headers: { 'x-other': '********' } } });
    expect(unknownMask.status).toBe(400);
    expect((await unknownMask.json()).error).toContain('config.headers.x-other');
  });
});

describe('state, persistence and start-up', () => {
  it('keeps extensions across a restart and starts none of them until asked', async () => {
    const dataDir = temporaryDirectory();
    try {
      const first = await startTestServer({ dataDir });
      await addExtension(first, { name: 'fixture', config: stdioFixtureConfig() });
      // Added enabled, it starts in the background; its tools are known once it listed them.
      const running = await waitFor(() => getExtension(first, 'fixture'), (extension) => extension.tools.length > 0, 20_000);
      expect(running.state).toBe('running');
      expect(running.tools.find((tool: { name: string }) => tool.name === 'fixture__echo')).toMatchObject({ read_only: true });
      await first.close();

      const second = await startTestServer({ dataDir });
      try {
        const [listed] = await (await second.request('/api/extensions')).json();
        expect(listed).toMatchObject({ name: 'fixture', type: 'stdio', enabled: true, state: 'stopped', tools: [] });
        const [started] = await (await second.request('/api/extensions/start', { method: 'POST' })).json();
        expect(started.state).toBe('running');
        expect(started.tools.map((tool: { name: string }) => tool.name)).toEqual(expect.arrayContaining(['fixture__echo', 'fixture__add', 'fixture__slow']));
      } finally {
        await second.close();
      }
    } finally {
      removeDirectory(dataDir);
    }
  });

  it('shows an extension that cannot start as failed, with the reason', async () => {
    await addExtension(goosed, { name: 'broken', config: stdioFixtureConfig(['--exit-at-start']) });
    const broken = await waitFor(() => getExtension(goosed, 'broken'), (extension) => extension.state === 'failed', 20_000);
    expect(broken.last_error).toContain('exiting at start on purpose');
    expect(broken.tools).toEqual([]);
  });
});

describe('tool names as the model sees them', () => {
  it('are <extension>__<tool>, with characters providers refuse replaced, at most 64 long', () => {
    expect(exposedToolName('github', 'list_issues')).toBe('github__list_issues');
    expect(exposedToolName('files', 'read.file/v2')).toBe('files__read_file_v2');
    const long = exposedToolName('a-rather-long-extension-name', 'x'.repeat(80));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^a-rather-long-extension-name__x+$/);
  });
});
