import { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { EventPayload } from '../../api/events.js';
import { WebSocketCloseCode, type ClientFrame } from '../../api/websocket.js';
import type { Approvals } from '../../agent/approvals.js';
import type { ReplyLifecycle } from '../../agent/reply-lifecycle.js';
import type { EventLog } from '../../events/event-log.js';
import type { Follower, PublishedEvent } from '../../events/follower.js';
import { replyEnd } from '../../events/reply-end.js';
import type { Store } from '../../store/store.js';
import type { WebSocketOptions } from '../../config/server-options.js';
import type { SecurityPolicy } from '../middleware/security-policy.js';
import { FollowerQueueBound } from '../follower-queue-bound.js';
import { renderError } from '../error-status.js';
import { readClientFrame, type FrameReading } from './read-client-frame.js';

/** What one socket reads of the WebSocket options (the queue bound: see FollowerQueueBound). */
export type WebSocketLimits = Omit<WebSocketOptions, 'heartbeatMs'>;

export interface SessionSocketDeps {
  events: EventLog;
  replies: ReplyLifecycle;
  approvals: Approvals;
  store: Pick<Store, 'getSession'>;
  policy: () => SecurityPolicy;
  logger: Logger;
  limits: WebSocketLimits;
}

// Every follower of a live event is handed the same object, one after another: its bytes are made
// by the first and reused by the rest (and their queues).
let lastPublished: PublishedEvent | null = null;
let lastFrame = Buffer.alloc(0);

function wsFrame(published: PublishedEvent): Buffer {
  if (published !== lastPublished) {
    lastFrame = Buffer.from(published.json);
    lastPublished = published;
  }
  return lastFrame;
}

/**
 * One WebSocket client of a session: it follows the session's events (live, or from a seq), and
 * its frames start replies, cancel them and answer approvals. Frames it gets wrong are answered
 * with an `error` event for this client only; the connection stays open.
 */
export class SessionSocket implements Follower {
  private unsubscribe: (() => void) | null = null;
  private authTimer: NodeJS.Timeout | null = null;
  private terminateTimer: NodeJS.Timeout | null = null;
  private terminateAt = 0;
  private closing = false;
  private readonly queueBound: FollowerQueueBound;
  /** Frames are handled one after another, each after the subscription its predecessor made (a resume). */
  private handled: Promise<void> = Promise.resolve();
  /** Cleared by each heartbeat ping, set again by the peer's pong. */
  private alive = true;
  readonly closed: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    private readonly sessionId: string,
    private authenticated: boolean,
    private readonly startAfter: number | null,
    private readonly deps: SessionSocketDeps,
  ) {
    this.queueBound = new FollowerQueueBound(deps.limits.maxBufferedBytes);
    ws.on('pong', () => (this.alive = true));
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
  }

  open(): void {
    if (this.authenticated) {
      this.handled = this.follow(this.startAfter);
      return;
    }
    this.authTimer = setTimeout(() => this.close(WebSocketCloseCode.unauthorized, 'unauthorized: send {"type":"auth","key":"..."} as the first frame'), this.deps.limits.authTimeoutMs);
    this.authTimer.unref();
  }

  receive(data: string | ArrayBufferLike | Blob): void {
    if (this.closing) return;
    const reading = readClientFrame(data, this.deps.limits);
    if (!this.authenticated) {
      this.authenticate(reading);
      return;
    }
    this.handled = this.handled.then(() => {
      if (this.closing) return;
      if ('refused' in reading) this.sendError(reading.refused.code, reading.refused.error);
      else return this.handle(reading.frame);
    });
  }

  /** What the client missed goes out whole, unchecked (see FollowerQueueBound.admitReplay). */
  replay(events: readonly PublishedEvent[]): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    let bytes = 0;
    for (const published of events) {
      const frame = wsFrame(published);
      bytes += frame.length;
      this.ws.send(frame, { binary: false });
    }
    this.queueBound.admitReplay(bytes);
  }

  deliver(published: PublishedEvent): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    const frame = wsFrame(published);
    // A client that does not read must not make the server hold an ever-growing queue for it.
    if (!this.queueBound.admits(this.ws.bufferedAmount, frame.length)) {
      this.close(WebSocketCloseCode.slowConsumer, 'slow_consumer: too many unread events; reconnect and send {"type":"resume","after":<last seq>}');
      return;
    }
    this.ws.send(frame, { binary: false });
  }

  end(): void {
    this.close(WebSocketCloseCode.sessionDeleted, 'session_deleted: the session was deleted');
  }

  /** Heartbeat: a peer that did not answer the previous ping is gone. */
  ping(): void {
    if (this.closing) return;
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  /** Sends the close frame (once); a socket already closing keeps its reason but may get a shorter grace (shutdown). */
  close(code: number, reason: string, graceMs = this.deps.limits.closeGraceMs): void {
    if (!this.closing) {
      this.stop();
      this.ws.close(code, reason);
    }
    // A peer that never reads never answers the close frame either.
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const at = Date.now() + graceMs;
    if (this.terminateTimer && this.terminateAt <= at) return;
    if (this.terminateTimer) clearTimeout(this.terminateTimer);
    this.terminateAt = at;
    this.terminateTimer = setTimeout(() => this.ws.terminate(), graceMs);
    this.terminateTimer.unref();
  }

  /** The socket closed (either side): stop following and drop the timers. */
  stop(): void {
    this.closing = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.authTimer) clearTimeout(this.authTimer);
    if (this.ws.readyState === WebSocket.CLOSED && this.terminateTimer) clearTimeout(this.terminateTimer);
  }

  private authenticate(reading: FrameReading): void {
    if (!('frame' in reading) || reading.frame.type !== 'auth') {
      this.close(WebSocketCloseCode.unauthorized, 'unauthorized: the first frame must be {"type":"auth","key":"..."}');
      return;
    }
    if (!this.deps.policy().acceptsKey(reading.frame.key)) {
      this.close(WebSocketCloseCode.unauthorized, 'invalid_key: the secret key is not valid');
      return;
    }
    this.authenticated = true;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.handled = this.follow(this.startAfter);
  }

  private handle(frame: ClientFrame): Promise<void> | void {
    const { replies } = this.deps;
    switch (frame.type) {
      case 'auth':
        return; // already past the key check
      case 'message': {
        const { type: _type, ...request } = frame;
        // The reply's events reach this client (and every other follower) through the channel.
        replies.send(this.sessionId, request).then(
          (reply) => {
            // A repeated message id whose reply already ended: its end is all there is to send.
            if (reply.afterSeq === null) this.sendOwn(replyEnd(reply.message));
          },
          (error: unknown) => this.sendFailure(error),
        );
        return;
      }
      case 'cancel':
        if (!replies.cancel(this.sessionId)) this.sendError('no_running_reply', 'No reply is running in this session.');
        return;
      case 'approval':
        this.deps.approvals.answer(this.sessionId, frame.id, { decision: frame.decision, message: frame.message ?? null }).catch((error: unknown) => this.sendFailure(error));
        return;
      case 'resume':
        return this.follow(frame.after);
    }
  }

  /** Subscribes from `after` (replay, then live) or from now; a resume replaces the subscription. */
  private async follow(after: number | null): Promise<void> {
    try {
      const session = await this.deps.store.getSession(this.sessionId);
      if (this.closing) return;
      if (!session) {
        this.close(WebSocketCloseCode.sessionNotFound, 'session_not_found: no session with this id');
        return;
      }
      this.unsubscribe?.();
      this.unsubscribe = this.deps.events.follow(this.sessionId, this, after);
    } catch (error) {
      this.sendFailure(error);
    }
  }

  private sendFailure(error: unknown): void {
    const { body, unexpected } = renderError(error);
    if (unexpected) this.deps.logger.error({ err: error, session_id: this.sessionId }, 'websocket frame failed');
    this.sendError(body.code, body.error);
  }

  /** An error for this client only (see EventLog.unnumbered): every event before it was queued to this client first. */
  private sendError(code: string, error: string): void {
    this.sendOwn({ type: 'error', error, code });
  }

  private sendOwn(payload: EventPayload): void {
    void this.deps.events.unnumbered(this.sessionId, payload).then((own) => {
      if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send(own.json);
    });
  }
}
