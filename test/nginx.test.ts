import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './support/free-port.js';
import { buildGoosedBundle, type GoosedBundle } from './support/goosed-bundle.js';
import { apiClient, createSession, temporaryDirectory, useScriptedProvider, waitFor } from './support/goosed.js';
import { listMessages } from './support/extensions.js';
import { startInstance, stopAll, type Instance } from './support/instances.js';
import { createTestDatabase } from './support/postgres.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { isReplyEnd, readSse, type SseFrame } from './support/sse-client.js';

// Two goosed instances behind Debian's nginx, configured with the block docs/deploy.md shows
// (.ci/run installs nginx as it installs Chromium; locally: apt-get install -y nginx).

const DEPLOY_DOC = join(import.meta.dirname, '..', 'docs', 'deploy.md');

let bundle: GoosedBundle;
let llm: ScriptedLlm;
let instances: Instance[] = [];
let nginx: ChildProcess | null = null;

beforeAll(async () => {
  [bundle, llm] = await Promise.all([buildGoosedBundle(), startScriptedLlm()]);
});
afterAll(async () => {
  nginx?.kill('SIGTERM');
  await stopAll(instances);
  await llm?.close();
  bundle?.remove();
});

/** The documented configuration, with these upstreams and this port, inside a main file that runs nginx as this user from `dir`. */
function nginxConfig(dir: string, upstreams: string[], port: number): string {
  const block = /```nginx\n([\s\S]*?)```/.exec(readFileSync(DEPLOY_DOC, 'utf8'))?.[1];
  if (!block) throw new Error('docs/deploy.md has no nginx block');
  const servers = block.match(/^ {4}server \S+ (.*)$/gm);
  if (servers?.length !== upstreams.length || !/^ {4}listen 8080;$/m.test(block)) throw new Error('the nginx block of docs/deploy.md changed shape');
  const options = servers[0].replace(/^ {4}server \S+ /, '');
  const http = block
    .replace(/^ {4}server \S+ .*\n/gm, '')
    .replace(/(upstream goosed \{\n)/, `$1${upstreams.map((address) => `    server ${address} ${options}\n`).join('')}`)
    .replace(/^ {4}listen 8080;$/m, `    listen 127.0.0.1:${port};`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${name}_temp_path ${join(dir, name)};`).join('\n');
  return `daemon off;\nworker_processes 1;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')} warn;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n${temp}\n${http}\n}\n`;
}

async function startNginx(upstreams: string[]): Promise<string> {
  const binary = ['/usr/sbin/nginx', 'nginx'].find((candidate) => {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!binary) throw new Error('nginx is not installed: apt-get install -y nginx (.ci/run does)');
  const dir = temporaryDirectory('goosed-nginx-');
  mkdirSync(join(dir, 'logs'));
  const port = await freePort();
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, nginxConfig(dir, upstreams, port));
  execFileSync(binary, ['-t', '-q', '-c', config, '-p', dir], { stdio: 'pipe' });
  nginx = spawn(binary, ['-c', config, '-p', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => fetch(`${url}/api/status`).then((r) => r.status, () => 0), (status) => status === 200);
  return url;
}

/**
 * A client following a session through nginx as a browser's EventSource does: when its stream
 * breaks it reconnects with the last id it got, until the reply ends.
 */
async function followUntilEnd(url: string, sessionId: string, after: string, onFrame: (frame: SseFrame) => void): Promise<{ frames: SseFrame[]; reconnects: number }> {
  const frames: SseFrame[] = [];
  let last = after;
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await fetch(`${url}/api/sessions/${sessionId}/events`, { headers: { 'last-event-id': last } }).catch(() => null);
    if (response?.status !== 200) continue;
    let ended = false;
    await readSse(response, (frame) => {
      frames.push(frame);
      if (frame.id) last = frame.id;
      onFrame(frame);
      return (ended = isReplyEnd(frame));
    }).catch(() => {});
    if (ended) return { frames, reconnects: attempt };
  }
  throw new Error(`the reply did not end after 50 connections; got ${frames.length} events`);
}

describe('two instances behind nginx', () => {
  it('relays a reply unbuffered, and a follower whose instance is killed rejoins through nginx and loses nothing', async () => {
    const database = await createTestDatabase();
    const lease = { GOOSED_REPLY_LEASE_MS: '2000' };
    const a = await startInstance(bundle, database, 'a', lease);
    instances = [a];
    instances.push(await startInstance(bundle, database, 'b', lease));
    const b = instances[1];
    const url = await startNginx([a, b].map((instance) => new URL(instance.url).host));
    const viaNginx = apiClient(url);
    await useScriptedProvider(viaNginx, llm.url);
    const session = await createSession(viaNginx);

    // The reply runs on A; the follower is wherever nginx sends it. A is killed mid-reply: B settles it.
    llm.enqueue({ text: Array.from({ length: 300 }, (_, i) => `w${i} `), chunkDelayMs: 25 });
    let deltas = 0;
    let killed = false;
    const following = followUntilEnd(url, session.id, '0', (frame) => {
      if (frame.event === 'content_delta' && ++deltas === 15 && !killed) {
        killed = true;
        a.child.kill('SIGKILL');
      }
    });
    void a.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'write a lot' } }).catch(() => {});
    const { frames } = await following;
    expect(killed).toBe(true);

    // Every event once, in order, up to the end B wrote for the reply A left.
    const seqs = frames.map((f) => Number(f.id));
    expect(seqs).toEqual(seqs.map((_, index) => seqs[0] + index));
    expect(frames.at(-1)!.data).toMatchObject({ type: 'error', code: 'interrupted' });
    const text = frames.filter((f) => f.event === 'content_delta').map((f) => f.data.delta).join('');
    const stored = (await listMessages(viaNginx, session.id)).at(-1);
    expect(stored.status).toBe('interrupted');
    expect(text.startsWith(stored.content)).toBe(true);

    // Through nginx to the instance left, a new reply streams event by event (not buffered to the end).
    llm.enqueue({ text: ['one ', 'two ', 'three'], chunkDelayMs: 200 });
    const response = await viaNginx.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'again' } });
    let firstDeltaWhileRunning = false;
    const streamed = await readSse(response, (frame) => {
      if (frame.event === 'content_delta' && !firstDeltaWhileRunning) {
        // Seen before the reply ended: the stored reply is still running.
        void listMessages(b, session.id).then((messages) => (firstDeltaWhileRunning ||= messages.at(-1).status === 'running'));
      }
      return isReplyEnd(frame);
    });
    expect(streamed.at(-1)!.data.message.content).toBe('one two three');
    await waitFor(() => firstDeltaWhileRunning);
  });
});
