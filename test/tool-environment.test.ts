// Shell commands and stdio MCP servers get the environment of goosed's user without goosed's own
// variables and credentials (whatever they print is stored, streamed and sent to the provider),
// except the names `env_passthrough` lists and, for an MCP server, the `env` its config gives.
// goosed runs as its own process, started with such variables, as a user would start it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerCatalog } from '../src/providers/catalog.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { apiClient, createSession, removeDirectory, temporaryDirectory, useScriptedProvider, type ApiClient, type GoosedProcess } from './support/goosed.js';
import { buildGoosedBundle, spawnBundledGoosed, type GoosedBundle } from './support/goosed-bundle.js';
import { addExtension, stdioFixtureConfig, streamReply } from './support/extensions.js';

const SERVER_KEY = 'server-key-tool-environment-5e2a9c71';
/** Every provider key variable of the catalog, and credentials named the usual ways. */
const WITHHELD: Record<string, string> = {
  GOOSED_SECRET_KEY: SERVER_KEY,
  ...Object.fromEntries(providerCatalog.flatMap((provider) => provider.apiKeyEnv).map((name) => [name, `value-of-${name}-3f7a`])),
  GITHUB_TOKEN: 'ghp_withheld0123456789',
  AWS_SECRET_ACCESS_KEY: 'aws-withheld-secret-access-key',
  DATABASE_PASSWORD: 'db-withheld-password',
  STRIPE_SECRET: 'sk_live_withheld',
  my_service_token: 'lowercase-withheld-token',
  NPM_CONFIG__AUTH: 'npm-withheld-auth',
};
/** Look like credentials at a glance, but are not: a terminal has them. */
const KEPT: Record<string, string> = {
  PLAIN_SETTING: 'plain-kept-value',
  SSH_AUTH_SOCK: '/tmp/kept-agent.sock',
  PASSWORD_STORE_DIR: '/tmp/kept-password-store',
  TOKENIZERS_PARALLELISM: 'false',
};
const PASSED_THROUGH = { DEPLOY_TOKEN: 'deploy-token-passed-through' };

let llm: ScriptedLlm;
let bundle: GoosedBundle;
let goosed: GoosedProcess;
let api: ApiClient;
let dir: string;

beforeAll(async () => {
  [llm, bundle] = await Promise.all([startScriptedLlm(), buildGoosedBundle()]);
  dir = temporaryDirectory('goosed-tool-environment-');
  goosed = await spawnBundledGoosed(bundle, ['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml')], {
    ...WITHHELD,
    ...KEPT,
    ...PASSED_THROUGH,
  });
  api = apiClient(goosed.url, SERVER_KEY);
  await useScriptedProvider(api, llm.url);
  await addExtension(api, { name: 'developer', config: { allow_shell: true } });
});
afterAll(async () => {
  if (goosed && goosed.child.exitCode === null) goosed.child.kill('SIGKILL');
  await llm?.close();
  bundle?.remove();
  removeDirectory(dir);
});

/** The variables a shell command sees, parsed from the output of `env`. */
async function shellEnvironment(sessionId: string): Promise<Record<string, string>> {
  llm.enqueue({ toolCalls: [{ id: 'call_env', name: 'developer__shell', arguments: { command: 'env' } }] }, { text: 'seen' });
  const result = (await streamReply(api, sessionId, 'show the environment')).results.get('call_env');
  expect(result).toMatchObject({ is_error: false });
  const environment: Record<string, string> = {};
  let last = '';
  for (const line of String(result.content).split('\n')) {
    const variable = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (variable) {
      last = variable[1];
      environment[last] = variable[2];
    } else if (last) {
      environment[last] += `\n${line}`; // a value with newlines
    }
  }
  return environment;
}

function expectFiltered(environment: Record<string, string>, passedThrough: boolean): void {
  for (const name of Object.keys(WITHHELD)) expect(environment, name).not.toHaveProperty(name);
  const values = Object.values(environment).join('\n');
  for (const value of Object.values(WITHHELD)) expect(values).not.toContain(value);
  // goosed's own variables are gone, the harness's GOOSED_LOG_LEVEL too; a terminal's are there.
  expect(Object.keys(environment).filter((name) => name.startsWith('GOOSED_'))).toEqual([]);
  expect(environment).toMatchObject(KEPT);
  expect(environment.PATH).toBe(process.env.PATH);
  expect(environment.HOME).toBe(process.env.HOME);
  if (passedThrough) expect(environment).toMatchObject(PASSED_THROUGH);
  else expect(environment).not.toHaveProperty('DEPLOY_TOKEN');
}

describe('the environment of the processes goosed starts for tools', () => {
  it("withholds goosed's variables and credentials from shell commands, except those passed through", async () => {
    const session = await createSession(api, { working_directory: dir, execution_mode: 'auto' });
    expectFiltered(await shellEnvironment(session.id), false);

    const patched = await api.request('/api/config', { method: 'PATCH', json: { env_passthrough: ['DEPLOY_TOKEN'] } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ env_passthrough: ['DEPLOY_TOKEN'] });
    expectFiltered(await shellEnvironment(session.id), true);
  });

  it('gives a stdio MCP server the same environment, plus the env its config names', async () => {
    expect((await api.request('/api/config', { method: 'PATCH', json: { env_passthrough: ['DEPLOY_TOKEN'] } })).status).toBe(200);
    const config = stdioFixtureConfig();
    await addExtension(api, { name: 'fixture', config: { ...config, env: { EXPLICIT_API_KEY: 'configured-for-this-server' } } });
    const session = await createSession(api, { working_directory: dir, execution_mode: 'auto' });
    llm.enqueue({ toolCalls: [{ id: 'call_env', name: 'fixture__environment', arguments: {} }] }, { text: 'seen' });
    const result = (await streamReply(api, session.id, 'show the server environment')).results.get('call_env');
    expect(result).toMatchObject({ is_error: false });
    const environment = JSON.parse(result.content);
    expectFiltered(environment, true);
    expect(environment.EXPLICIT_API_KEY).toBe('configured-for-this-server');
  });
});
