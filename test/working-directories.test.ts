import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, removeDirectory, startTestServer, temporaryDirectory, type TestServer } from './support/goosed.js';

// Where a session works: `~` is the user's home (as in a shell), the default is a setting
// (default_working_directory, `~` unless changed), never the directory the server was started in.
// This file's process gets a home of its own (HOME, which os.homedir() reads), so nothing is
// written in the real one.

let goosed: TestServer;
let home: string;
let realHome: string;
const previousHome = process.env.HOME;

beforeAll(async () => {
  home = temporaryDirectory('goosed-home-');
  realHome = realpathSync(home);
  mkdirSync(join(home, 'projects', 'x'), { recursive: true });
  writeFileSync(join(home, 'notes.txt'), 'not a directory');
  process.env.HOME = home;
  goosed = await startTestServer();
});
afterAll(async () => {
  process.env.HOME = previousHome;
  await goosed?.close();
  if (goosed) removeDirectory(goosed.dataDir);
  removeDirectory(home);
});

const post = (body: Record<string, unknown>) => goosed.request('/api/sessions', { method: 'POST', json: { name: 'wd', ...body } });
const patchConfig = (body: Record<string, unknown>) => goosed.request('/api/config', { method: 'PATCH', json: body });

describe('~ in a working directory', () => {
  it('is the home directory: ~ and ~/… when creating, changing and importing a session', async () => {
    expect((await createSession(goosed, { working_directory: '~' })).working_directory).toBe(realHome);
    const session = await createSession(goosed, { working_directory: '~/projects/x' });
    expect(session.working_directory).toBe(join(realHome, 'projects', 'x'));

    const changed = await goosed.request(`/api/sessions/${session.id}`, { method: 'PATCH', json: { working_directory: '~/projects' } });
    expect(changed.status).toBe(200);
    expect((await changed.json()).working_directory).toBe(join(realHome, 'projects'));

    const exported = await (await goosed.request(`/api/sessions/${session.id}/export`)).json();
    const imported = await goosed.request('/api/sessions/import', { method: 'POST', json: { ...exported, working_directory: '~/projects/x' } });
    expect(imported.status).toBe(201);
    expect((await imported.json()).working_directory).toBe(join(realHome, 'projects', 'x'));
    const fromExport = await goosed.request('/api/sessions/import', { method: 'POST', json: { ...exported, session: { ...exported.session, working_directory: '~' } } });
    expect((await fromExport.json()).working_directory).toBe(realHome);
  });

  it('refuses ~user (another user\'s home) with a sentence saying what to write instead', async () => {
    const response = await post({ working_directory: '~root/projects' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 'invalid_working_directory',
      error: 'working_directory "~root/projects": ~user is not supported; write the full path, or ~/ for your own home.',
    });
  });

  it('says which expanded path is missing or not a directory', async () => {
    const missing = await post({ working_directory: '~/nowhere' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: 'invalid_working_directory', error: `working_directory ${JSON.stringify(join(home, 'nowhere'))} does not exist.` });
    const file = await post({ working_directory: '~/notes.txt' });
    expect(await file.json()).toEqual({ code: 'invalid_working_directory', error: `working_directory ${JSON.stringify(join(home, 'notes.txt'))} is not a directory.` });
  });
});

describe('the default working directory', () => {
  it("is the user's home, shown as ~ in the settings", async () => {
    expect((await (await goosed.request('/api/config')).json()).default_working_directory).toBe('~');
    const session = await createSession(goosed);
    expect(session.working_directory).toBe(realHome);
    expect(session.working_directory).not.toBe(realpathSync(process.cwd()));
  });

  it('is a setting: new sessions and relative paths use it; it must name an existing directory', async () => {
    const changed = await patchConfig({ default_working_directory: '~/projects' });
    expect(changed.status).toBe(200);
    expect((await changed.json()).default_working_directory).toBe('~/projects');
    expect((await createSession(goosed)).working_directory).toBe(join(realHome, 'projects'));
    expect((await createSession(goosed, { working_directory: 'x' })).working_directory).toBe(join(realHome, 'projects', 'x'));

    for (const [value, error] of [
      ['~/nowhere', `default_working_directory ${JSON.stringify(join(home, 'nowhere'))} does not exist.`],
      ['relative/path', 'default_working_directory "relative/path" must be an absolute path or start with ~/.'],
      ['~/notes.txt', `default_working_directory ${JSON.stringify(join(home, 'notes.txt'))} is not a directory.`],
    ]) {
      const refused = await patchConfig({ default_working_directory: value });
      expect(refused.status, value).toBe(400);
      expect(await refused.json()).toEqual({ code: 'invalid_working_directory', error });
    }
    // Nothing changed, in the settings or in the config file.
    expect((await (await goosed.request('/api/config')).json()).default_working_directory).toBe('~/projects');
    expect(readFileSync(goosed.configFile, 'utf8')).toBe('default_working_directory: ~/projects\n');
    expect((await patchConfig({ default_working_directory: '~' })).status).toBe(200);
  });
});
