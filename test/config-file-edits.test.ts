// PATCH /api/config edits the user's config file the way a person would: only the changed keys,
// comments and layout kept, and through a symlink rather than over it.
import { afterEach, describe, expect, it } from 'vitest';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDirectory, startTestServer, temporaryDirectory, type TestServer } from './support/goosed.js';

const HAND_WRITTEN = `# goosed settings, kept by hand
execution_mode: smart_approval # ask before writes

# how long a reply may go on
max_turns: 10
allowed_origins:
  - http://localhost:5173 # the dev server
log_level: info
`;

let goosed: TestServer | null = null;
let dir = '';
afterEach(async () => {
  await goosed?.close();
  goosed = null;
  removeDirectory(dir);
});

async function patch(body: Record<string, unknown>): Promise<void> {
  const response = await goosed!.request('/api/config', { method: 'PATCH', json: body });
  expect(response.status).toBe(200);
}

describe('PATCH /api/config on a config file a person wrote', () => {
  it('changes only the patched values and keeps comments, order and the other keys', async () => {
    dir = temporaryDirectory();
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, HAND_WRITTEN);
    goosed = await startTestServer({ dataDir: join(dir, 'data'), configFile });
    await patch({ max_turns: 12, execution_mode: 'approve' });
    expect(readFileSync(configFile, 'utf8')).toBe(HAND_WRITTEN.replace('max_turns: 10', 'max_turns: 12').replace('execution_mode: smart_approval', 'execution_mode: approve'));
    await patch({ auto_save: false });
    expect(readFileSync(configFile, 'utf8')).toBe(
      `${HAND_WRITTEN.replace('max_turns: 10', 'max_turns: 12').replace('execution_mode: smart_approval', 'execution_mode: approve')}auto_save: false\n`,
    );
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
  });

  it('writes through a symlink to the real file, which stays a link, leaving no temporary file', async () => {
    dir = temporaryDirectory();
    const dotfiles = join(dir, 'dotfiles');
    mkdirSync(dotfiles);
    const realFile = join(dotfiles, 'goosed.yaml');
    writeFileSync(realFile, HAND_WRITTEN);
    const link = join(dir, 'config.yaml');
    symlinkSync(realFile, link);
    goosed = await startTestServer({ dataDir: join(dir, 'data'), configFile: link });
    await patch({ max_turns: 3 });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(realFile, 'utf8')).toBe(HAND_WRITTEN.replace('max_turns: 10', 'max_turns: 3'));
    expect(readdirSync(dotfiles)).toEqual(['goosed.yaml']);
    expect(readdirSync(dir).sort()).toEqual(['config.yaml', 'data', 'dotfiles']);
  });

  it('through a relative symlink, and one whose file does not exist yet', async () => {
    dir = temporaryDirectory();
    mkdirSync(join(dir, 'dotfiles'));
    symlinkSync('dotfiles/goosed.yaml', join(dir, 'config.yaml'));
    goosed = await startTestServer({ dataDir: join(dir, 'data'), configFile: join(dir, 'config.yaml') });
    await patch({ max_turns: 4 });
    expect(lstatSync(join(dir, 'config.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'dotfiles', 'goosed.yaml'), 'utf8')).toBe('max_turns: 4\n');
  });

  it('starts a map in a file that holds none: empty, comments only, or after an empty patch', async () => {
    dir = temporaryDirectory();
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, '# nothing set yet\n');
    goosed = await startTestServer({ dataDir: join(dir, 'data'), configFile });
    await patch({});
    await patch({ max_turns: 7 });
    expect(readFileSync(configFile, 'utf8')).toContain('max_turns: 7');
    expect(readFileSync(configFile, 'utf8')).toContain('# nothing set yet');
    writeFileSync(configFile, '');
    await patch({});
    await patch({ auto_save: false });
    expect(readFileSync(configFile, 'utf8')).toContain('auto_save: false');
  });
});
