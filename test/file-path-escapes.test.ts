// The model (or a prompt injection it read) asks the text editor for paths that leave the session's
// working directory through `..`, an absolute path, a symlink, or a dangling symlink: every call is
// refused with an error result, nothing outside is read or written, and the reply goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, removeDirectory, temporaryDirectory, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { isReplyEnd, readSse } from './support/sse-client.js';
import { resultsByScriptedId } from './support/extensions.js';

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let root: string;
let workDir: string;
let outside: string;
const SECRET = 'the secret outside the working directory';

beforeAll(async () => {
  harness = await startReplyHarness({ extensions: [{ name: 'developer', config: { allow_shell: false } }] });
  ({ llm, goosed } = harness);
  root = temporaryDirectory('goosed-escape-');
  workDir = join(root, 'work');
  outside = join(root, 'outside');
  mkdirSync(workDir);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(outside, 'victim.txt'), 'original\n');
  writeFileSync(join(workDir, 'inside.txt'), 'inside\n');
  symlinkSync(outside, join(workDir, 'link-to-outside'));
  symlinkSync(join(outside, 'victim.txt'), join(workDir, 'victim-link.txt'));
  symlinkSync(join(outside, 'created-through-link.txt'), join(workDir, 'dangling.txt'));
});
afterAll(async () => {
  await harness?.close();
  removeDirectory(root);
});

const ESCAPES: { name: string; tool: string; arguments: Record<string, unknown> }[] = [
  { name: 'view through ..', tool: 'developer__view', arguments: { path: '../outside/secret.txt' } },
  { name: 'view an absolute path outside', tool: 'developer__view', arguments: { path: '/etc/passwd' } },
  { name: 'view through a directory symlink', tool: 'developer__view', arguments: { path: 'link-to-outside/secret.txt' } },
  { name: 'view a directory outside', tool: 'developer__view', arguments: { path: 'link-to-outside' } },
  { name: 'str_replace through a file symlink', tool: 'developer__str_replace', arguments: { path: 'victim-link.txt', old_str: 'original', new_str: 'pwned' } },
  { name: 'str_replace through ..', tool: 'developer__str_replace', arguments: { path: './../outside/victim.txt', old_str: 'original', new_str: 'pwned' } },
  { name: 'insert through a directory symlink', tool: 'developer__insert', arguments: { path: 'link-to-outside/victim.txt', insert_line: 0, new_str: 'pwned' } },
  { name: 'create through ..', tool: 'developer__create', arguments: { path: 'sub/../../outside/new.txt', file_text: 'pwned' } },
  { name: 'create through a dangling symlink', tool: 'developer__create', arguments: { path: 'dangling.txt', file_text: 'pwned' } },
  { name: 'create through a symlinked directory that does not exist yet', tool: 'developer__create', arguments: { path: 'link-to-outside/deeper/new.txt', file_text: 'pwned' } },
];

describe('text editor paths that leave the working directory', () => {
  it('are refused with an error result, and nothing outside is read or changed', async () => {
    const session = await createSession(goosed, { working_directory: workDir, execution_mode: 'auto' });
    const calls = ESCAPES.map((escape, index) => ({ id: `call_escape_${index}`, name: escape.tool, arguments: escape.arguments }));
    // One model turn asks for all of them (they run in parallel), plus one legitimate view as a control.
    llm.enqueue({ toolCalls: [...calls, { id: 'call_control', name: 'developer__view', arguments: { path: 'inside.txt' } }] }, { text: 'done' });
    const frames = await readSse(await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'look around' } }), isReplyEnd);
    const results = resultsByScriptedId(frames);

    for (const [index, escape] of ESCAPES.entries()) {
      const result = results.get(`call_escape_${index}`);
      expect(result, escape.name).toMatchObject({ is_error: true });
      expect(result.content, escape.name).toMatch(/outside the working directory/);
      expect(result.content, escape.name).not.toContain(SECRET);
    }
    expect(results.get('call_control')).toMatchObject({ is_error: false, content: expect.stringContaining('inside') });
    expect(frames.at(-1)).toMatchObject({ event: 'message_complete', data: { message: { status: 'complete', content: 'done' } } });

    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('original\n');
    for (const created of ['new.txt', 'created-through-link.txt', 'deeper']) expect(existsSync(join(outside, created)), created).toBe(false);
    // Nothing the model was sent carries the secret either.
    expect(JSON.stringify(llm.requests.at(-1)!.body)).not.toContain(SECRET);
  });
});
