import WebSocket from 'ws';
import type { TestServer } from './goosed.js';

export interface WsClient {
  ws: WebSocket;
  /** Every JSON text frame received so far, parsed. */
  events: any[];
  send(frame: unknown): void;
  /** Waits for the first received event (from index `from`) that matches. */
  waitForEvent(match: (event: any) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<any>;
  /** Settles when the connection closes, with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

export interface WsConnectOptions {
  headers?: Record<string, string>;
  origin?: string;
  /** Send the server's key as the Authorization header (default: when the server has one). */
  withKey?: boolean;
}

export function wsUrl(goosed: TestServer, path: string): string {
  return goosed.url.replace(/^http/, 'ws') + path;
}

/** Opens a WebSocket to goosed; rejects with the HTTP status when the upgrade is refused. */
export function connectWs(goosed: TestServer, path: string, options: WsConnectOptions = {}): Promise<WsClient> {
  const headers = { ...options.headers };
  if ((options.withKey ?? true) && goosed.server.secretKey && !headers.authorization) headers.authorization = `Bearer ${goosed.server.secretKey}`;
  const ws = new WebSocket(wsUrl(goosed, path), { headers, origin: options.origin });
  return wrap(ws);
}

export function wrap(ws: WebSocket): Promise<WsClient> {
  const events: any[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data, isBinary) => {
    events.push(isBinary ? { binary: data } : JSON.parse(String(data)));
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const client: WsClient = {
    ws,
    events,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame)),
    waitForEvent(match, { from = 0, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find(match);
          if (!found) return false;
          finish();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no matching event within ${timeoutMs} ms; got: ${events.map((e) => e.type ?? '?').join(', ')}`));
        }, timeoutMs);
        const onClose = () => {
          if (check()) return;
          finish();
          reject(new Error(`the socket closed before a matching event; got: ${events.map((e) => e.type ?? '?').join(', ')}`));
        };
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
          ws.off('close', onClose);
        };
        if (check()) return;
        waiters.add(check);
        ws.on('close', onClose);
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_request, response) => {
      reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode }));
      ws.terminate();
    });
    ws.on('error', (error) => reject(error));
  });
}

export const isReplyEnd = (event: any) => event.type === 'message_complete' || (event.type === 'error' && event.message_id !== undefined);
