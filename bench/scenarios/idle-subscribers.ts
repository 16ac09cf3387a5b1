import { Agent, request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Scenario } from '../scenario.js';
import { createSessions } from '../support/goosed-api.js';
import { settledRssKiB, startGoosed } from '../support/processes.js';
import { row, skipped } from '../support/report.js';

const OPEN_AT_ONCE = 200;
const CONNECT_TIMEOUT_MS = 15_000;

interface Held {
  close(): void;
  readonly closed: boolean;
}

/** GET /api/sessions/{id}/events, held open; resolves once the stream's first bytes arrived. */
function openSse(url: string, agent: Agent): Promise<Held> {
  return new Promise((resolve, reject) => {
    let closed = false;
    const req: ClientRequest = request(url, { agent, headers: { accept: 'text/event-stream' } });
    const timer = setTimeout(() => req.destroy(new Error('no answer')), CONNECT_TIMEOUT_MS);
    req.on('error', (error) => {
      closed = true;
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (response) => {
      if (response.statusCode !== 200) {
        clearTimeout(timer);
        response.resume();
        return reject(new Error(`events answered ${response.statusCode}`));
      }
      response.once('data', () => {
        clearTimeout(timer);
        resolve({ close: () => req.destroy(), get closed() { return closed; } });
      });
      response.on('close', () => (closed = true));
    });
    req.end();
  });
}

function openWebSocket(url: string): Promise<Held> {
  return new Promise((resolve, reject) => {
    let closed = false;
    const socket = new WebSocket(url, { handshakeTimeout: CONNECT_TIMEOUT_MS });
    socket.once('open', () => resolve({ close: () => socket.terminate(), get closed() { return closed; } }));
    socket.once('unexpected-response', (_req, response) => {
      response.resume();
      reject(new Error(`the upgrade answered HTTP ${response.statusCode}`));
    });
    socket.on('error', (error) => reject(error));
    socket.on('close', () => (closed = true));
  });
}

/** Opens `count` connections, OPEN_AT_ONCE at a time (a burst of thousands would only test the listen backlog). */
async function openMany(count: number, open: (index: number) => Promise<Held>, into: Held[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) into.push(await open(next++));
  };
  await Promise.all(Array.from({ length: Math.min(OPEN_AT_ONCE, count) }, worker));
}

/**
 * Thousands of clients following sessions and doing nothing else: what each costs goosed in
 * memory. The WebSocket half is skipped, with the reason, when the upgrade is not served.
 */
export const idleSubscribers: Scenario = {
  name: 'idle-subscribers',
  async run({ sizes, workDir, goosedNodeArgs, log }) {
    const { sse, websocket, clientsPerSession } = sizes.idleSubscribers;
    const goosed = await startGoosed({ dataDir: join(workDir, 'data'), nodeArgs: goosedNodeArgs });
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const held: Held[] = [];
    try {
      const sessions = await createSessions(goosed.url, Math.ceil((sse + websocket) / clientsPerSession));
      const eventsUrl = (index: number) => `${goosed.url}/api/sessions/${sessions[index % sessions.length]}/events`;
      const streamUrl = (index: number) => `${goosed.url.replace('http:', 'ws:')}/api/sessions/${sessions[index % sessions.length]}/stream`;

      // One-time costs (code paths compiled, the session channels made) are not per connection.
      let websocketProblem: string | null = null;
      const warm: Held[] = [];
      await openMany(sessions.length, (index) => openSse(eventsUrl(index), agent), warm);
      try {
        await openMany(Math.min(20, websocket), (index) => openWebSocket(streamUrl(index)), warm);
      } catch (error) {
        websocketProblem = (error as Error).message;
      }
      for (const connection of warm) connection.close();
      const before = await settledRssKiB(goosed, 2000);

      log(`${sse} SSE clients on ${sessions.length} sessions`);
      await openMany(sse, (index) => openSse(eventsUrl(index), agent), held);
      const afterSse = await settledRssKiB(goosed, 2000);
      let afterWebSocket = afterSse;
      if (!websocketProblem && websocket > 0) {
        log(`${websocket} WebSocket clients`);
        const sockets: Held[] = [];
        await openMany(websocket, (index) => openWebSocket(streamUrl(sse + index)), sockets);
        held.push(...sockets);
        afterWebSocket = await settledRssKiB(goosed, 2000);
      }
      const dropped = held.filter((connection) => connection.closed).length;

      const scenario = 'idle-subscribers';
      const label = 'RSS before they connect';
      const perSse = (afterSse - before) / sse;
      const rows = [
        row({
          scenario, metric: `${sse.toLocaleString('en-US')} SSE clients: memory per connection`, unit: 'KiB',
          goosed: perSse, baseline: before, baselineLabel: label, ratio: false, target: '< 30 KiB', pass: perSse < 30 && dropped === 0,
          note: dropped > 0 ? `${dropped} connections dropped` : undefined,
        }),
      ];
      if (websocketProblem) {
        rows.push(skipped(scenario, `${websocket.toLocaleString('en-US')} WebSocket clients`, `the WebSocket upgrade failed (${websocketProblem})`));
      } else if (websocket > 0) {
        const perWebSocket = (afterWebSocket - afterSse) / websocket;
        rows.push(row({
          scenario, metric: `${websocket.toLocaleString('en-US')} WebSocket clients: memory per connection`, unit: 'KiB',
          goosed: perWebSocket, baseline: afterSse, baselineLabel: 'RSS with the SSE clients open', ratio: false, target: '< 30 KiB', pass: perWebSocket < 30 && dropped === 0,
        }));
      }
      return {
        rows,
        details: { sessions: sessions.length, rss_before_kib: before, rss_after_sse_kib: afterSse, rss_after_websocket_kib: afterWebSocket, websocket_problem: websocketProblem, dropped },
      };
    } finally {
      for (const connection of held) connection.close();
      agent.destroy();
      await goosed.stop();
    }
  },
};
