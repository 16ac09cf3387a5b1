// Requests refused before they reach the app: Node's HTTP parser rejects bytes that are not HTTP
// (a raw 0xFF in the path, a control character in a header, headers too large), and the Hono
// adapter rejects what it cannot turn into a URL (a Host such as `a@b`). Both would answer a bare
// status with no body; here they get `{error, code}` like every other answer.
import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { ErrorBody } from '../api/errors.js';
import { closeLingering } from './lingering-close.js';

type Fetch = Parameters<typeof getRequestListener>[0];

const PARSER_ERRORS: Record<string, [status: number, reason: string, body: ErrorBody]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', { error: 'The request headers are too large.', code: 'headers_too_large' }],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', { error: 'The request took too long to arrive.', code: 'request_timeout' }],
};
const NOT_HTTP: ErrorBody = { error: 'The request is not valid HTTP/1.1 (request line or headers).', code: 'malformed_request' };

/** For createAdaptorServer's `createServer` option: the adapter's listener, with JSON for requests it cannot read. */
export function createServerWithJsonErrors(fetch: Fetch, hostname: string): typeof createServer {
  const listener = getRequestListener(fetch, {
    hostname,
    errorHandler: (error) => {
      const body: ErrorBody = error instanceof RequestError
        ? { error: `The request cannot be read: ${error.message}.`, code: 'malformed_request' }
        : { error: 'The server hit an unexpected error.', code: 'internal_error' };
      return Response.json(body, { status: error instanceof RequestError ? 400 : 500 });
    },
  }) as RequestListener;
  const factory = (options: ServerOptions) => answerParserErrors(createServer(options, listener));
  return factory as unknown as typeof createServer;
}

function answerParserErrors(server: Server): Server {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The parser keeps failing on what the client still sends: it was answered once, that is all.
    if (answered.has(socket)) return;
    // A connection that went away, or one already answering: nothing can be written.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, body] = PARSER_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', NOT_HTTP];
    answered.add(socket);
    const json = JSON.stringify(body);
    // The client may still be sending (a body after the bad headers).
    closeLingering(socket, `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
  });
  return server;
}
