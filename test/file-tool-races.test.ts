// The file tools check a path, then use it: a directory swapped for a symlink to outside in between
// must not take them outside. Another process swaps `d` (a real directory inside the working
// directory) for a symlink to `outside` and back in a tight loop while the model views, creates and
// edits files under `d` hundreds of times; nothing outside is read or written, ever.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, removeDirectory, temporaryDirectory } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { isReplyEnd, readSse } from './support/sse-client.js';

const SWAPPER = fileURLToPath(new URL('./fixtures/swap-directory-for-symlink.ts', import.meta.url));
const SECRET = 'the secret outside the working directory';
const ROUNDS = 3;
const CALLS_PER_KIND = 40;

let harness: ReplyHarness;
let root: string;
let swapper: ChildProcess | undefined;

beforeAll(async () => {
  harness = await startReplyHarness({ extensions: [{ name: 'developer', config: { allow_shell: false } }] });
  root = temporaryDirectory('goosed-races-');
});
afterAll(async () => {
  swapper?.kill('SIGKILL');
  await harness?.close();
  removeDirectory(root);
});

/** Starts the swapper and resolves once it is going round. */
function startSwapper(directory: string, symlink: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SWAPPER, directory, symlink], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the swapper exited with ${code}`)));
  });
}

function callsOfRound(round: number) {
  const calls: { id: string; name: string; arguments: Record<string, unknown> }[] = [];
  for (let i = 0; i < CALLS_PER_KIND; i++) {
    const tag = `${round}-${i}`;
    calls.push({ id: `call_view_${tag}`, name: 'developer__view', arguments: { path: 'd/secret.txt' } });
    calls.push({ id: `call_create_${tag}`, name: 'developer__create', arguments: { path: `d/new-${tag}.txt`, file_text: 'created\n' } });
    calls.push({ id: `call_insert_${tag}`, name: 'developer__insert', arguments: { path: 'd/target.txt', insert_line: 0, new_str: `inserted ${tag}` } });
  }
  return calls;
}

describe('a directory swapped for a symlink to outside while the file tools run', () => {
  it('never lets them read or write outside the working directory', { timeout: 120_000 }, async () => {
    const { goosed, llm } = harness;
    const work = join(root, 'work');
    const outside = join(root, 'outside');
    mkdirSync(join(work, 'd'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(work, 'd', 'secret.txt'), 'inside\n');
    writeFileSync(join(work, 'd', 'target.txt'), 'inside target\n');
    writeFileSync(join(outside, 'secret.txt'), `${SECRET}\n`);
    writeFileSync(join(outside, 'target.txt'), 'outside target\n');
    symlinkSync(outside, join(work, 'd-link'));
    const session = await createSession(goosed, { working_directory: work, execution_mode: 'auto' });

    swapper = await startSwapper(join(work, 'd'), join(work, 'd-link'));
    const contents: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      llm.enqueue({ toolCalls: callsOfRound(round) }, { text: `round ${round} done` });
      const response = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: `round ${round}` } });
      const frames = await readSse(response, isReplyEnd, 60_000);
      expect(frames.at(-1)).toMatchObject({ event: 'message_complete', data: { message: { content: `round ${round} done` } } });
      const results = frames.filter((frame) => frame.event === 'tool_result');
      expect(results).toHaveLength(CALLS_PER_KIND * 3);
      contents.push(...results.map((frame) => String(frame.data.content)));
    }
    swapper.kill('SIGKILL');

    // The swaps really raced the calls: some resolved while `d` led outside and were refused.
    expect(contents.filter((content) => content.includes('outside the working directory')).length).toBeGreaterThan(0);
    expect(contents.filter((content) => content.includes(SECRET))).toEqual([]);
    expect(readdirSync(outside).sort()).toEqual(['secret.txt', 'target.txt']);
    expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe('outside target\n');
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe(`${SECRET}\n`);
  });
});
