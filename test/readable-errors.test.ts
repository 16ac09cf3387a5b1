import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/goosed.js';
import { addExtension } from './support/extensions.js';

// What a person reads when a request or an extension is wrong: sentences that name the field and
// say what it must be (the web page shows them as they are), not zod's notation.

let goosed: TestServer;
beforeAll(async () => {
  goosed = await startTestServer();
});
afterAll(() => goosed.close());

async function refusal(method: string, path: string, json: unknown): Promise<{ status: number; error: string; code: string }> {
  const response = await goosed.request(path, { method, json });
  return { status: response.status, ...(await response.json()) };
}

describe('a request body that does not fit', () => {
  it('is refused in sentences that name each field and what it must be', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/providers', { name: 'openai' }, 'The request body is not valid: model is required.'],
      ['POST', '/api/sessions', { name: 5 }, 'The request body is not valid: name must be text, not a number.'],
      ['PATCH', '/api/config', { max_turns: 0 }, 'The request body is not valid: max_turns must be at least 1.'],
      ['PATCH', '/api/config', { auto_save: 'yes' }, 'The request body is not valid: auto_save must be true or false, not text.'],
      ['PATCH', '/api/config', { execution_mode: 'yolo' }, 'The request body is not valid: execution_mode must be one of "auto", "approve", "smart_approval", "chat".'],
      ['PATCH', '/api/config', { turbo: true, extra: 1 }, 'The request body is not valid: it has unknown fields "turbo", "extra".'],
      ['POST', '/api/extensions', { name: '', config: {} }, 'The request body is not valid: name must not be empty.'],
      ['POST', '/api/extensions', { name: 'two__parts', config: { command: 'x' } }, 'The request body is not valid: name must not contain "__" (it separates extension and tool names).'],
    ];
    for (const [method, path, body, sentence] of cases) {
      const answer = await refusal(method, path, body);
      expect(answer, JSON.stringify(body)).toEqual({ status: 400, code: 'invalid_request', error: sentence });
    }
  });
});

describe("an extension's config that does not fit", () => {
  it('is refused in sentences that name the config field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'developer', config: { allow_shel: true } }, 'The config of extension "developer" is not valid: config has an unknown field "allow_shel".'],
      [{ name: 'developer', config: { allow_shell: 'yes' } }, 'The config of extension "developer" is not valid: config.allow_shell must be true or false, not text.'],
      [{ name: 'files', config: { command: '' } }, 'The config of extension "files" is not valid: config.command must not be empty.'],
      [{ name: 'files', config: { command: 'npx', args: '-y server' } }, 'The config of extension "files" is not valid: config.args must be a list, not text.'],
      [{ name: 'remote', config: { url: 'ftp://example.com/mcp' } }, 'The config of extension "remote" is not valid: config.url must be an http:// or https:// URL.'],
      [{ name: 'remote', config: { url: 'http://127.0.0.1:1/mcp', headers: { 'x-key': 7 } } }, 'The config of extension "remote" is not valid: config.headers.x-key must be text, not a number.'],
    ];
    for (const [body, sentence] of cases) {
      const answer = await refusal('POST', '/api/extensions', body);
      expect(answer, JSON.stringify(body)).toEqual({ status: 400, code: 'invalid_extension_config', error: sentence });
    }
    expect(await (await goosed.request('/api/extensions')).json()).toEqual([]);
  });
});

describe('a program that is not an MCP server', () => {
  // Answers every request with JSON-RPC "Method not found", as a JSON-RPC server of another protocol would.
  const otherProtocol = [
    "require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {",
    '  const request = JSON.parse(line);',
    "  if (request.id !== undefined) console.log(JSON.stringify({ jsonrpc: '2.0', id: request.id, error: { code: -32601, message: 'Method not found' } }));",
    '});',
  ].join('\n');
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['answers "Method not found"', { command: process.execPath, args: ['-e', otherProtocol] }, /^the program did not answer as an MCP server: it answered the handshake with "Method not found"$/],
    ['prints and exits', { command: 'echo', args: ['hello'] }, /^the program did not answer as an MCP server: it exited with code 0$/],
    ['says nothing', { command: 'sleep', args: ['30'], timeout_ms: 1000 }, /^the program did not answer as an MCP server within 1000 ms$/],
  ];
  for (const [what, config, lastError] of cases) {
    it(`is reported as such when it ${what}`, async () => {
      const name = `not-mcp-${cases.findIndex(([label]) => label === what)}`;
      await addExtension(goosed, { name, config });
      const started = await (await goosed.request('/api/extensions/start', { method: 'POST' })).json();
      expect(started.find((extension: { name: string }) => extension.name === name)).toMatchObject({ state: 'failed', last_error: expect.stringMatching(lastError) });
      await goosed.request(`/api/extensions/${name}`, { method: 'DELETE' });
    });
  }

  it('says that a command line pasted whole is one program name', async () => {
    await addExtension(goosed, { name: 'pasted', config: { command: 'npx -y @modelcontextprotocol/server-everything' } });
    const started = await (await goosed.request('/api/extensions/start', { method: 'POST' })).json();
    expect(started.find((extension: { name: string }) => extension.name === 'pasted').last_error).toMatch(/ENOENT \(command is one program; give its arguments in args\)$/);
    await goosed.request('/api/extensions/pasted', { method: 'DELETE' });
  });
});
