import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from './support/goosed.js';

let goosed: TestServer;
beforeAll(async () => {
  goosed = await startTestServer();
});
afterAll(async () => {
  await goosed.close();
});

describe('settings', () => {
  it('reads the defaults', async () => {
    const response = await goosed.request('/api/config');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      execution_mode: 'smart_approval',
      auto_save: true,
      max_turns: 25,
      allowed_origins: [],
      allowed_hosts: [],
      tool_timeout_ms: 120000,
      compaction_threshold: 0.8,
      default_working_directory: '~',
      env_passthrough: [],
    });
  });

  it("changes some settings with the seed's PATCH and saves them to the config file, owner-only", async () => {
    const response = await goosed.request('/api/config', { method: 'PATCH', json: { execution_mode: 'approve', auto_save: true, max_turns: 7 } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ execution_mode: 'approve', auto_save: true, max_turns: 7 });
    expect(await (await goosed.request('/api/config')).json()).toMatchObject({ execution_mode: 'approve', max_turns: 7 });
    expect(parse(readFileSync(goosed.configFile, 'utf8'))).toMatchObject({ execution_mode: 'approve', max_turns: 7 });
    expect(statSync(goosed.configFile).mode & 0o777).toBe(0o600);
  });

  it('refuses an unknown key or a bad value, naming the key, and changes nothing', async () => {
    const before = await (await goosed.request('/api/config')).json();
    const unknown = await goosed.request('/api/config', { method: 'PATCH', json: { execution_mode: 'auto', turbo: true } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toContain('turbo');
    const bad = await goosed.request('/api/config', { method: 'PATCH', json: { execution_mode: 'yolo' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('execution_mode');
    const wrongType = await goosed.request('/api/config', { method: 'PATCH', json: { max_turns: 'ten' } });
    expect((await wrongType.json()).error).toContain('max_turns');
    const badOrigin = await goosed.request('/api/config', { method: 'PATCH', json: { allowed_origins: ['not an origin'] } });
    expect(badOrigin.status).toBe(400);
    const badVariable = await goosed.request('/api/config', { method: 'PATCH', json: { env_passthrough: ['GITHUB_TOKEN; rm -rf ~'] } });
    expect(badVariable.status).toBe(400);
    expect((await badVariable.json()).error).toContain('env_passthrough');
    expect(await (await goosed.request('/api/config')).json()).toEqual(before);
  });
});
