import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError, notFound } from '../api/errors.js';
import type { Message, SendMessageRequest } from '../api/messages.js';
import type { Approval } from '../api/approvals.js';
import type { ApprovalDecision } from '../api/events.js';
import type { SessionSummary } from '../api/sessions.js';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { Store } from '../store/store.js';
import type { ToolCatalog } from '../extensions/tool.js';
import { runAgentLoop, MaxTurnsReached, type ModelSettings } from './agent-loop.js';
import { ApprovalBroker } from './approval-broker.js';
import type { EventHub } from './event-hub.js';
import { ProviderFailure } from './model-step.js';
import type { ProviderRegistry } from './provider-registry.js';
import { ReplyWriter } from './reply-writer.js';
import { StopReason } from './stop-reason.js';
import { settleUnfinishedToolCalls } from './tool-runner.js';

export interface ReplyHandle {
  userMessage: Message;
  /** The assistant message; `status` is `running` until `done` settles. */
  message: Message;
  /** Settles with the final message (never rejects). */
  done: Promise<Message>;
  /** The seq just before the reply's first event: follow from here to see all of it. */
  startSeq: number;
}

interface RunningReply extends ReplyHandle {
  controller: AbortController;
  writer: ReplyWriter;
}

export interface ReplyManagerOptions {
  model: ModelSettings;
  flushIntervalMs: number;
}

/**
 * Starts, tracks and stops replies: one per session at a time, idempotent by client id, cancel
 * that aborts the provider request and the tools, recovery of cut-short replies after a restart.
 */
export class ReplyManager {
  private readonly running = new Map<string, RunningReply | 'starting'>();
  /** Settles when a session's 'starting' entry becomes a running reply (or goes): queued messages wait on it. */
  private readonly starting = new Map<string, Promise<void>>();
  private stopping = false;
  readonly approvals: ApprovalBroker;

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly providers: ProviderRegistry,
    private readonly catalog: ToolCatalog,
    private readonly settings: RuntimeSettings,
    private readonly logger: Logger,
    private readonly options: ReplyManagerOptions,
  ) {
    this.approvals = new ApprovalBroker(store, (sessionId) => this.refreshStatus(sessionId));
  }

  get(sessionId: string): RunningReply | null {
    const entry = this.running.get(sessionId);
    return entry && entry !== 'starting' ? entry : null;
  }

  /** True while a reply starts or runs, unless it only waits for a person (that wait survives a restart). */
  hasWorkingReplies(): boolean {
    for (const [sessionId, entry] of this.running) if (entry === 'starting' || !this.approvals.isWaiting(sessionId)) return true;
    return false;
  }

  async start(sessionId: string, request: SendMessageRequest, idempotencyKey?: string): Promise<ReplyHandle> {
    const session = this.store.getSession(sessionId);
    if (!session) throw notFound('session', sessionId);
    const clientId = request.id ?? idempotencyKey ?? null;
    for (;;) {
      // Checked again after each wait: a queued repeat of a message must not insert it twice.
      if (clientId) {
        const repeated = this.findRepeated(sessionId, clientId);
        if (repeated) return repeated;
      }
      const current = this.running.get(sessionId);
      if (!current) break;
      if (!request.queue) {
        throw new ApiError(409, 'session_busy', 'A reply is already running in this session: wait for it, cancel it, or send with "queue": true.');
      }
      await (current === 'starting' ? this.starting.get(sessionId) : current.done);
    }
    this.refuseWhileStopping();
    this.running.set(sessionId, 'starting');
    let started!: () => void;
    this.starting.set(sessionId, new Promise<void>((resolve) => (started = resolve)));
    try {
      // Before anything is written: with no usable provider, the message is refused whole.
      await this.providers.resolve();
      this.refuseWhileStopping();
      // Deleted while the provider was being prepared.
      if (!this.store.getSession(sessionId)) throw notFound('session', sessionId);
    } catch (error) {
      this.running.delete(sessionId);
      throw error;
    } finally {
      this.starting.delete(sessionId);
      started();
    }
    const channel = this.hub.channel(sessionId);
    const startSeq = channel.headSeq;
    const now = new Date().toISOString();
    const userMessage: Message = {
      id: randomUUID(), session_id: sessionId, role: 'user', content: request.content, parts: [{ type: 'text', text: request.content }],
      status: 'complete', created_at: now, usage: null, error: null, reply_to: null,
    };
    this.store.addMessage({ ...userMessage, client_id: clientId });
    channel.publish({ type: 'user_message', message_id: userMessage.id, message: userMessage });
    const message: Message = {
      id: randomUUID(), session_id: sessionId, role: 'assistant', content: '', parts: [], status: 'running',
      created_at: new Date().toISOString(), usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 }, error: null, reply_to: userMessage.id,
    };
    this.store.addMessage({ ...message, client_id: null });
    channel.publish({ type: 'message_start', message_id: message.id, message: { ...message } });
    return this.launch(session, message, userMessage, startSeq);
  }

  listApprovals(sessionId: string, status?: Approval['status']): Approval[] {
    return this.store.listApprovals(sessionId, status);
  }

  answerApproval(sessionId: string, approvalId: string, decision: ApprovalDecision, message: string | null): Approval {
    return this.approvals.answer(sessionId, approvalId, { decision, message }, (approval) =>
      this.hub.publish(sessionId, { type: 'approval_resolved', message_id: approval.message_id, id: approval.id, decision }),
    );
  }

  /** Stops the running reply of a session: the provider request and tools are aborted; the partial reply is kept. */
  cancel(sessionId: string, reason: StopReason['kind'] = 'cancel'): Message | null {
    const reply = this.get(sessionId);
    if (!reply) return null;
    reply.controller.abort(new StopReason(reason));
    return reply.message;
  }

  /** For a session being deleted: stop its reply and let it write nothing more. */
  async forget(sessionId: string): Promise<void> {
    await this.starting.get(sessionId);
    const reply = this.get(sessionId);
    if (!reply) return;
    reply.writer.detach();
    reply.controller.abort(new StopReason('deleted'));
    await reply.done;
  }

  /**
   * After a restart: replies that waited for an approval wait again (the approval is in the store);
   * any other reply that was running is marked interrupted, never left "running".
   */
  recover(): void {
    for (const session of this.store.listBusySessions()) {
      const messages = this.store.listMessages(session.id, {}).items;
      const index = messages.findLastIndex((m) => m.role === 'assistant' && m.status === 'running');
      const message = index >= 0 ? messages[index] : null;
      const waiting = message && this.store.listApprovals(session.id, 'pending').some((a) => a.message_id === message.id);
      if (message && waiting) {
        const userMessage = messages.slice(0, index).findLast((m) => m.role === 'user')!;
        this.launch(session, message, userMessage, this.hub.channel(session.id).headSeq, messages.slice(0, index));
        continue;
      }
      for (const stale of messages.filter((m) => m.status === 'running')) {
        const writer = new ReplyWriter(stale, this.store, this.hub, this.options.flushIntervalMs);
        this.store.cancelApprovals(session.id, stale.id);
        // A tool call cut off by the crash must not show as running forever.
        settleUnfinishedToolCalls(writer, 'shutdown');
        writer.finish('interrupted', { error: 'The server stopped while this reply was running; what it wrote is kept.', code: 'interrupted' });
      }
      this.setStatus(session.id, 'idle');
    }
  }

  /** Shutdown: replies get `graceMs` to finish; the rest are stopped and saved as interrupted. Replies waiting for a person are left waiting (they resume after the restart). */
  async shutdown(graceMs: number): Promise<void> {
    // A reply started from here on would outlive the store it writes to.
    this.stopping = true;
    const replies = [...this.running.values()].filter((r): r is RunningReply => r !== 'starting');
    const all = Promise.all(replies.map((r) => r.done));
    const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all, timer]);
    for (const reply of replies) {
      if (this.approvals.isWaiting(reply.message.session_id)) {
        // Left waiting for a person, to resume after the restart. A sibling call that is running
        // now is stopped with the reply: it gets its result first, or the resumed reply would
        // run it a second time.
        settleUnfinishedToolCalls(reply.writer, 'shutdown', (part) => part.status === 'running');
        reply.writer.detach();
      }
      reply.controller.abort(new StopReason('shutdown'));
    }
    await all;
  }

  private launch(session: SessionSummary, message: Message, userMessage: Message, startSeq: number, history?: Message[]): RunningReply {
    const controller = new AbortController();
    const writer = new ReplyWriter(message, this.store, this.hub, this.options.flushIntervalMs);
    const settings = this.settings.get();
    const job = {
      writer,
      history: history ?? this.store.listMessages(session.id, {}).items.filter((m) => m.id !== message.id),
      session,
      mode: session.execution_mode ?? settings.execution_mode,
      maxTurns: settings.max_turns,
      toolTimeoutMs: settings.tool_timeout_ms,
      signal: controller.signal,
      resolveModel: () => this.providers.resolve(),
    };
    const reply: RunningReply = { userMessage, message, startSeq, controller, writer, done: Promise.resolve(message) };
    this.running.set(session.id, reply);
    this.setStatus(session.id, 'running');
    reply.done = runAgentLoop(job, { store: this.store, approvals: this.approvals, catalog: this.catalog, model: this.options.model })
      .then(
        () => writer.finish('complete'),
        (error: unknown) => this.finishWithError(writer, controller.signal, error),
      )
      .catch((error: unknown) => {
        // Writing the end failed (the session was deleted under it): never an unhandled rejection.
        this.logger.warn({ err: error, session_id: session.id }, 'could not save the end of a reply');
        return message;
      })
      .finally(() => {
        this.running.delete(session.id);
        if (!writer.detached && this.store.getSession(session.id)) this.setStatus(session.id, 'idle');
      });
    return reply;
  }

  private finishWithError(writer: ReplyWriter, signal: AbortSignal, error: unknown): Message {
    // Deleted, or left waiting for a person at shutdown: the store must stay as it is.
    if (writer.detached) return writer.message;
    this.store.cancelApprovals(writer.sessionId, writer.message.id);
    const reason = signal.aborted ? (signal.reason instanceof StopReason ? signal.reason.kind : 'cancel') : 'failure';
    // The tool runner settles the calls it was running or asking about; this settles the ones it
    // never reached (the reply stopped or failed before running them), so none stays waiting.
    settleUnfinishedToolCalls(writer, reason);
    if (signal.aborted) {
      if (reason === 'shutdown') return writer.finish('interrupted', { error: 'The server stopped while this reply was running; what it wrote is kept.', code: 'interrupted' });
      return writer.finish('cancelled');
    }
    if (error instanceof ProviderFailure) {
      // The provider's fault, not goosed's: one line at warn, the message already free of the key; a stack would say nothing.
      const { code, status, message } = error.info;
      this.logger.warn({ session_id: writer.sessionId, message_id: writer.message.id, code, status }, `reply failed: ${message}`);
      return writer.finish('error', { error: message, code });
    }
    if (error instanceof MaxTurnsReached) return writer.finish('error', { error: error.message, code: 'max_turns_reached' });
    if (error instanceof ApiError) return writer.finish('error', { error: error.message, code: error.code });
    this.logger.error({ err: error, session_id: writer.sessionId }, 'reply failed');
    return writer.finish('error', { error: 'The reply failed on an unexpected error; it is logged.', code: 'internal_error' });
  }

  private refuseWhileStopping(): void {
    if (this.stopping) throw new ApiError(503, 'shutting_down', 'The server is shutting down; send the message again once it is back.');
  }

  private findRepeated(sessionId: string, clientId: string): ReplyHandle | null {
    const userMessage = this.store.findMessageByClientId(sessionId, clientId);
    if (!userMessage) return null;
    const running = this.get(sessionId);
    if (running && running.userMessage.id === userMessage.id) return running;
    const reply = this.store.findReply(sessionId, userMessage.id);
    if (!reply) throw new ApiError(409, 'duplicate_message', `A message with id ${JSON.stringify(clientId)} was already sent and has no reply.`);
    return { userMessage, message: reply, done: Promise.resolve(reply), startSeq: -1 };
  }

  private refreshStatus(sessionId: string): void {
    if (!this.get(sessionId)) return;
    this.setStatus(sessionId, this.approvals.isWaiting(sessionId) ? 'waiting_approval' : 'running');
  }

  private setStatus(sessionId: string, status: SessionSummary['status']): void {
    const current = this.store.getSession(sessionId);
    if (!current || current.status === status) return;
    const session = this.store.updateSession(sessionId, { status });
    if (session) this.hub.publish(sessionId, { type: 'session_updated', session });
  }
}
