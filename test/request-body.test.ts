// A request's body is read once, straight from the socket, before the route (request-body.ts):
// what that reading answers for bodies of every shape, over a real connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { startTestServer, type TestServer } from './support/goosed.js';
import { sendRaw } from './support/fuzz/raw-http.js';

const LIMIT = 4096;
let goosed: TestServer;
let port: number;
beforeAll(async () => {
  goosed = await startTestServer({ bodyLimitBytes: LIMIT });
  port = Number(new URL(goosed.url).port);
});
afterAll(async () => {
  await goosed.close();
});

const headers = () => ({ host: `127.0.0.1:${port}`, 'content-type': 'application/json' });
const sessionCount = async () => ((await (await goosed.request('/api/sessions')).json()) as unknown[]).length;

/** POSTs the body in the pieces given, chunked (no Content-Length), and reads the answer. */
function postChunked(path: string, pieces: string[]): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: headers() }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    request.on('error', reject);
    const write = (index: number) => {
      if (index === pieces.length) return void request.end();
      request.write(pieces[index], () => setImmediate(() => write(index + 1)));
    };
    write(0);
  });
}

describe('a request body', () => {
  it('sent chunked, in pieces, is read whole', async () => {
    const answer = await postChunked('/api/sessions', ['{"name":', '"in pieces", "working_dir', 'ectory":', JSON.stringify(process.cwd()), '}']);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ name: 'in pieces' });
  });

  it('past the limit is refused with 413, whether it says its length or is chunked, and nothing is made', async () => {
    const before = await sessionCount();
    const big = JSON.stringify({ name: 'x'.repeat(LIMIT), working_directory: process.cwd() });
    const declared = await sendRaw(port, { method: 'POST', target: '/api/sessions', headers: headers(), body: Buffer.from(big) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body.toString())).toMatchObject({ code: 'body_too_large' });
    const chunked = await postChunked('/api/sessions', [big.slice(0, 1000), big.slice(1000, 3000), big.slice(3000)]);
    expect(chunked).toMatchObject({ status: 413, body: { code: 'body_too_large' } });
    expect(await sessionCount()).toBe(before);
  });

  it('is decoded as UTF-8 as a fetch Request decodes it: a leading byte-order mark dropped, bad bytes replaced', async () => {
    const name = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff]), Buffer.from(`b","working_directory":${JSON.stringify(process.cwd())}}`)]);
    const answer = await sendRaw(port, { method: 'POST', target: '/api/sessions', headers: headers(), body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), name]) });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ name: 'a\ufffdb' });
  });

  it('that is not JSON is still answered by the validator', async () => {
    const malformed = await sendRaw(port, { method: 'POST', target: '/api/sessions', headers: headers(), body: Buffer.from('{"name":') });
    expect(malformed.status).toBe(400);
    const other = await sendRaw(port, { method: 'POST', target: '/api/sessions', headers: { ...headers(), 'content-type': 'text/plain' }, body: Buffer.from('hello') });
    expect(other.status).toBe(415);
    expect(JSON.parse(other.body.toString())).toMatchObject({ code: expect.any(String) });
  });

  it('cut short by a client that goes away leaves nothing made, and the server answering', async () => {
    const before = await sessionCount();
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        const head = Object.entries({ ...headers(), 'content-length': '1000' }).map(([name, value]) => `${name}: ${value}`).join('\r\n');
        socket.write(`POST /api/sessions HTTP/1.1\r\n${head}\r\n\r\n{"name":"cut`, () => setTimeout(() => socket.destroy(), 50));
      });
      socket.on('close', () => resolve());
      socket.on('error', () => {});
    });
    expect(await sessionCount()).toBe(before);
    expect((await goosed.request('/api/status')).status).toBe(200);
  });
});
