// The api-read baseline: a bare node:http server answering every request with the same bytes goosed
// answered GET /api/sessions with (body from the file in argv[2]; headers of the same size).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2]);
const headers = {
  'content-type': 'application/json',
  'content-length': String(body.length),
  // goosed sends a request id; a constant of the same length keeps the response the same size.
  'x-request-id': '00000000-0000-4000-8000-000000000000',
};
const server = createServer((request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());
