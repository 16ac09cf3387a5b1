import { WebSocketServer } from 'ws';
import { WebSocketCloseCode } from '../../api/websocket.js';
import { MAX_JSON_DEPTH } from '../middleware/json-depth-limit.js';
import type { WebSocketOptions } from '../../config/server-options.js';
import type { SessionSocket } from './session-socket.js';

export const defaultWebSocketOptions: WebSocketOptions = {
  maxFrameBytes: 4 * 1024 * 1024,
  maxJsonDepth: MAX_JSON_DEPTH,
  maxBufferedBytes: 4 * 1024 * 1024,
  authTimeoutMs: 10_000,
  closeGraceMs: 5_000,
  heartbeatMs: 30_000,
};

/**
 * The server's WebSocket side: the `ws` server that performs upgrades (the HTTP server hands them
 * over after the Hono app accepted the request), the open sockets, one heartbeat timer for all of
 * them, and closing them all at shutdown.
 */
export class SocketRegistry {
  readonly options: WebSocketOptions;
  readonly server: WebSocketServer;
  private readonly sockets = new Set<SessionSocket>();
  private heartbeat: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(options: Partial<WebSocketOptions> = {}) {
    this.options = { ...defaultWebSocketOptions, ...options };
    this.server = new WebSocketServer({
      noServer: true,
      // Frames up to twice the limit are read and refused with an error event; larger ones close the
      // connection (1009), so nobody can make the server buffer an unbounded frame.
      maxPayload: this.options.maxFrameBytes * 2,
      // Compression would cost a deflate per client per event; events are small and go to many clients.
      perMessageDeflate: false,
    });
  }

  get size(): number {
    return this.sockets.size;
  }

  add(socket: SessionSocket): void {
    if (this.closing) {
      socket.close(WebSocketCloseCode.goingAway, 'going_away: the server is shutting down', 1000);
      return;
    }
    this.sockets.add(socket);
    this.heartbeat ??= setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
    socket.open();
  }

  remove(socket: SessionSocket): void {
    socket.stop();
    this.sockets.delete(socket);
    if (this.sockets.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  /** Shutdown: every client gets 1001 and a reason; ones that do not answer are dropped after `graceMs`. */
  async close(graceMs = 1000): Promise<void> {
    this.closing = true;
    const sockets = [...this.sockets];
    for (const socket of sockets) socket.close(WebSocketCloseCode.goingAway, 'going_away: the server is shutting down', graceMs);
    await Promise.all(sockets.map((socket) => socket.closed));
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private beat(): void {
    for (const socket of this.sockets) socket.ping();
  }
}
