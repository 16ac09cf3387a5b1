import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Conflict, NotFound, ShuttingDown } from '../api/domain-errors.js';
import type { Message, SendMessageRequest, ToolCallPart } from '../api/messages.js';
import type { SessionStatus, SessionSummary } from '../api/sessions.js';
import type { ModelSettings } from '../config/server-options.js';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { EventLog } from '../events/event-log.js';
import type { ProviderSettings, ResolvedModel } from '../providers/provider-settings.js';
import type { Store } from '../store/store.js';
import type { ToolCatalog } from '../extensions/tool.js';
import { runAgentLoop } from './agent-loop.js';
import type { ApprovalAnswer, Approvals } from './approvals.js';
import type { Admitted, ReplyAdmission, Repeated } from './reply-admission.js';
import type { CompactResult } from '../api/context.js';
import { compactSession } from './compact-session.js';
import type { ReplySlot } from './reply-slots.js';
import type { InstanceControl } from './instance-control.js';
import { endWithError } from './reply-ending.js';
import { settleLeftReply } from './reply-recovery.js';
import { ReplyWriter } from './reply-writer.js';
import { StopReason } from './stop-reason.js';
import { settleUnfinishedToolCalls } from './tool-runner.js';
import type { ContextManager } from './context/context-manager.js';
import { PartialSaves } from './partial-saves.js';
import { TextRelayPacer, type TextRelayPacerOptions } from './text-relay-pacer.js';

export interface ReplyHandle {
  userMessage: Message;
  /** The assistant message; `status` is `running` until `done` settles. */
  message: Message;
  /** Settles with the final message (never rejects). */
  done: Promise<Message>;
  /** The seq just before the reply's first event: follow from here to see all of it; null when it had already ended. */
  afterSeq: number | null;
}

interface RunningReply extends ReplyHandle {
  controller: AbortController;
  writer: ReplyWriter;
  slot: ReplySlot;
  /** The status this reply last gave its session. */
  status: SessionStatus;
  /** Approvals it waits for now. */
  waiting: number;
}

/** A reply between admission and launch: repeats of its message wait for it. */
interface StartingReply {
  userMessageId: string;
  started: Promise<void>;
}

interface Launch {
  session: SessionSummary;
  slot: ReplySlot;
  userMessage: Message;
  message: Message;
  afterSeq: number;
  model: Promise<ResolvedModel>;
  /** The messages before `message` (read when not given). */
  history?: Message[];
  /** The status the reply starts in: `running`, or `waiting_approval` for one recovered at its approval. */
  status?: SessionStatus;
}

export interface ReplyLifecycleOptions {
  store: Store;
  events: EventLog;
  admission: ReplyAdmission;
  approvals: Approvals;
  providers: Pick<ProviderSettings, 'resolve'>;
  catalog: ToolCatalog;
  settings: RuntimeSettings;
  logger: Logger;
  model: ModelSettings;
  context: ContextManager;
  /** Streamed text is saved at most this often. */
  flushIntervalMs?: number;
  /** How streamed text is paced under load (TextRelayPacer's defaults if not given). */
  textRelay?: TextRelayPacerOptions;
  /** With several instances: cancels sent to another instance reach this one when it runs the reply. */
  control?: InstanceControl;
}

const ignore = () => {};

/**
 * A reply from start to end: it writes the user and assistant messages (the only writer of a
 * reply's message, through its ReplyWriter), runs the agent loop, gives the session its status,
 * and ends the reply (complete, cancelled, failed, or interrupted by shutdown). After a restart it
 * recovers the replies that were cut short.
 */
export class ReplyLifecycle {
  private readonly running = new Map<string, RunningReply>();
  private readonly starting = new Map<string, StartingReply>();
  /** POST /compact calls in progress: stopped at shutdown like replies. */
  private readonly compacting = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Sessions whose reply has ended here and is letting the session go (status, slot). */
  private readonly releasing = new Map<string, Promise<void>>();
  private readonly store: Store;
  private readonly events: EventLog;
  private readonly admission: ReplyAdmission;
  private readonly approvals: Approvals;
  private readonly options: ReplyLifecycleOptions;
  private readonly partialSaves: PartialSaves;
  private readonly pacer: TextRelayPacer;

  constructor(options: ReplyLifecycleOptions) {
    this.options = options;
    this.partialSaves = new PartialSaves(options.flushIntervalMs ?? 100);
    this.pacer = new TextRelayPacer(options.textRelay);
    this.store = options.store;
    this.events = options.events;
    this.admission = options.admission;
    this.approvals = options.approvals;
    options.control?.on((message) => {
      if (message.kind === 'cancel') this.cancel(message.session_id);
    });
  }

  get(sessionId: string): ReplyHandle | null {
    return this.running.get(sessionId) ?? null;
  }

  /** True while a reply starts or runs, unless all it does is wait for a person (that wait survives a restart). */
  hasWorkingReplies(): boolean {
    if (this.starting.size > 0) return true;
    for (const reply of this.running.values()) if (reply.waiting === 0) return true;
    return false;
  }

  /** Sends a user message: starts its reply, or answers with the reply a repeat of it already has. */
  async send(sessionId: string, request: SendMessageRequest, idempotencyKey?: string): Promise<ReplyHandle> {
    const clientId = request.id ?? idempotencyKey ?? null;
    // A message sent as soon as this instance's reply of the session ended (its end event out, the
    // session not yet let go: on a store across the network that takes a few round trips) waits
    // for the release instead of being refused as busy.
    const ending = this.running.get(sessionId);
    if (ending && ending.writer.message.status !== 'running') await ending.done;
    await this.releasing.get(sessionId);
    const replyId = randomUUID();
    const admitted = await this.admission.admit(sessionId, { clientId, queue: request.queue === true, replyId });
    if ('repeatOf' in admitted) return this.repeated(admitted, clientId!);
    const { session, slot } = admitted;
    const userMessage: Message = {
      id: randomUUID(), session_id: sessionId, role: 'user', content: request.content, parts: [{ type: 'text', text: request.content }],
      status: 'complete', created_at: new Date().toISOString(), usage: null, error: null, reply_to: null, provider: null, model: null,
    };
    let started!: () => void;
    this.starting.set(sessionId, { userMessageId: userMessage.id, started: new Promise<void>((resolve) => (started = resolve)) });
    try {
      // Before anything is written: with no usable provider, the message is refused whole.
      const model = await this.options.providers.resolve(session);
      this.admission.refuseNew(sessionId);
      const message: Message = {
        id: replyId, session_id: sessionId, role: 'assistant', content: '', parts: [], status: 'running',
        created_at: new Date().toISOString(), usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 }, error: null, reply_to: userMessage.id,
        provider: model.provider, model: model.modelId,
      };
      // The start's writes, then its events, each made together (the store and the event log
      // commit what is made together at once): both messages and the running status are stored
      // before any of the three events goes out, and the events go out in one run.
      // The user message takes its place before the reply's: awaited first where the store does
      // not keep the order of writes made at once.
      const userStored = this.store.addMessage({ ...userMessage, client_id: clientId });
      if (!this.store.writesInCallOrder) await userStored;
      const [, , running] = await Promise.all([
        userStored,
        this.store.addMessage({ ...message, client_id: null }),
        this.store.updateSession(sessionId, { status: 'running' }),
      ]);
      const started = running ?? { ...session, status: 'running' as const };
      const [userEvent] = await Promise.all([
        this.events.publish(sessionId, { type: 'user_message', message_id: userMessage.id, message: userMessage }),
        this.events.publish(sessionId, { type: 'message_start', message_id: message.id, message: { ...message } }),
        running ? this.events.publish(sessionId, { type: 'session_updated', session: running }) : null,
      ]);
      return this.launch({ session: started, slot, userMessage, message, afterSeq: userEvent.seq - 1, model: Promise.resolve(model) });
    } catch (error) {
      await slot.release();
      throw error;
    } finally {
      this.starting.delete(sessionId);
      started();
    }
  }

  /**
   * POST /compact: summarises the older part of the session's conversation now. It holds the
   * session's reply slot meanwhile (SessionBusy while a reply runs; a message sent meanwhile waits
   * or is refused like one sent during a reply). Messages are never changed: a summary is added.
   */
  async compact(sessionId: string): Promise<CompactResult> {
    const admitted = (await this.admission.admit(sessionId, { clientId: null, queue: false })) as Admitted;
    const { session, slot } = admitted;
    const controller = new AbortController();
    const done = compactSession(this.options, session, controller.signal);
    this.compacting.set(sessionId, { controller, done: done.then(ignore, ignore) });
    try {
      return await done;
    } catch (error) {
      // Stopped by the session's deletion or the server's shutdown: answered as a request made then would be.
      const reason: unknown = controller.signal.reason;
      if (reason instanceof StopReason && reason.kind === 'deleted') throw NotFound.of('session', sessionId);
      if (reason instanceof StopReason && reason.kind === 'shutdown') throw new ShuttingDown();
      throw error;
    } finally {
      this.compacting.delete(sessionId);
      await slot.release();
    }
  }

  /** Stops the running reply of a session: the provider request and tools are aborted; the partial reply is kept. */
  cancel(sessionId: string): Message | null {
    const reply = this.running.get(sessionId);
    if (!reply) return null;
    reply.controller.abort(new StopReason('cancel'));
    return reply.message;
  }

  /**
   * Stops a reply another instance runs (several instances): the owner is told, and this answers
   * once it let the session go, with the reply as it ended. Null when no other instance runs one.
   */
  async cancelElsewhere(sessionId: string): Promise<Message | null> {
    const control = this.options.control;
    if (!control || !(await this.admission.heldElsewhere(sessionId))) return null;
    const freed = this.admission.freed(sessionId);
    await control.send({ kind: 'cancel', session_id: sessionId });
    await freed;
    const { items } = await this.store.listMessages(sessionId, {});
    return items.findLast((m) => m.role === 'assistant') ?? null;
  }

  /**
   * Deletes a session (`remove`) once its reply here stopped and may write nothing more; no message
   * starts here meanwhile. With several instances the others are told afterwards (see stopDeleted).
   */
  async deleteSession(sessionId: string, remove: () => Promise<void>): Promise<void> {
    await this.admission.whileDeleting(sessionId, async () => {
      await this.stopDeleted(sessionId);
      await remove();
    });
    // Deleted whatever happens to the news: an instance that misses it finds the rows gone at its next write.
    await this.options.control?.send({ kind: 'deleted', session_id: sessionId }).catch((error: unknown) => {
      this.options.logger.warn({ err: error, session_id: sessionId }, 'could not tell the other instances of a deleted session');
    });
  }

  /**
   * The session is being deleted (here, or it was on another instance): its reply or compaction
   * here stops, and writes nothing more (a summary or event written after the session's rows went
   * would fail on them).
   */
  async stopDeleted(sessionId: string): Promise<void> {
    const compacting = this.compacting.get(sessionId);
    if (compacting) {
      compacting.controller.abort(new StopReason('deleted'));
      await compacting.done;
    }
    await this.starting.get(sessionId)?.started;
    const reply = this.running.get(sessionId);
    if (!reply) return;
    const detached = reply.writer.detach();
    reply.controller.abort(new StopReason('deleted'));
    await detached;
    await reply.done;
  }

  /**
   * After a restart: replies that waited for an approval wait again (the approval is in the store);
   * any other reply that was running is marked interrupted, never left "running". With several
   * instances, only replies no live instance runs (see recoverSession).
   */
  async recover(): Promise<void> {
    await this.options.control?.open();
    await this.admission.open();
    for (const { id } of await this.store.listBusySessions()) await this.recoverSession(id);
  }

  /**
   * Settles the reply of one session that its instance left (a restart, or an instance that died:
   * its lease expired), as recover() does; nothing while a live instance runs it.
   */
  async recoverSession(sessionId: string): Promise<void> {
    if (this.running.has(sessionId) || this.starting.has(sessionId)) return;
    const slot = await this.admission.resume(sessionId);
    if (!slot) return;
    let launched = false;
    try {
      // Read once the slot is ours: the owner may have ended the reply just before.
      const resumed = await settleLeftReply({ store: this.store, events: this.events, providers: this.options.providers, writerOf: (m) => this.writerOf(m) }, sessionId);
      if (resumed) {
        this.launch({ ...resumed, slot });
        launched = true;
      }
    } finally {
      if (!launched) await slot.release();
    }
  }

  /** Shutdown: replies get `graceMs` to finish; the rest are stopped and saved as interrupted. Replies waiting for a person are left waiting (they resume after the restart). */
  async shutdown(graceMs: number): Promise<void> {
    this.admission.close();
    // A reply being started finishes starting (or fails) first, so that it is stopped here too.
    await Promise.all([...this.starting.values()].map((starting) => starting.started));
    for (const { controller } of this.compacting.values()) controller.abort(new StopReason('shutdown'));
    const replies = [...this.running.values()];
    const all = Promise.all([...replies.map((r) => r.done), ...[...this.compacting.values()].map((c) => c.done)]);
    const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all, timer]);
    const leftWaiting: Promise<void>[] = [];
    for (const reply of replies) {
      if (reply.waiting > 0) {
        // Left waiting for a person, to resume after the restart. A sibling call that is running
        // now is stopped with the reply: it gets its result first, or the resumed reply would
        // run it a second time. Both are begun before the writer detaches, and so complete.
        leftWaiting.push(settleUnfinishedToolCalls(reply.writer, 'shutdown', (part) => part.status === 'running'), reply.writer.detach());
      }
      reply.controller.abort(new StopReason('shutdown'));
    }
    await Promise.all([all, ...leftWaiting]);
    this.pacer.close();
    await this.admission.closeSlots();
    await this.options.control?.close();
  }

  private async repeated({ repeatOf, reply }: Repeated, clientId: string): Promise<ReplyHandle> {
    const sessionId = repeatOf.session_id;
    const starting = this.starting.get(sessionId);
    if (starting?.userMessageId === repeatOf.id) await starting.started;
    const running = this.running.get(sessionId);
    if (running && running.userMessage.id === repeatOf.id) return running;
    // Looked up again when it was still running: it has ended since.
    let ended = reply?.status === 'running' ? await this.store.findReply(sessionId, repeatOf.id) : reply;
    // Running on another instance: the repeat answers once it has ended there.
    while (ended?.status === 'running' && (await this.admission.heldElsewhere(sessionId))) {
      await this.admission.freed(sessionId);
      ended = await this.store.findReply(sessionId, repeatOf.id);
    }
    if (!ended) throw new Conflict('duplicate_message', `A message with id ${JSON.stringify(clientId)} was already sent and has no reply.`);
    return { userMessage: repeatOf, message: ended, done: Promise.resolve(ended), afterSeq: null };
  }

  private launch(launch: Launch): RunningReply {
    const { session, userMessage, message } = launch;
    const reply: RunningReply = {
      userMessage,
      message,
      afterSeq: launch.afterSeq,
      controller: new AbortController(),
      writer: this.writerOf(message),
      slot: launch.slot,
      status: session.status,
      waiting: 0,
      done: Promise.resolve(message),
    };
    this.running.set(session.id, reply);
    reply.done = this.run(reply, launch);
    return reply;
  }

  private async run(reply: RunningReply, { session, model, history, status = 'running' }: Launch): Promise<Message> {
    const { writer, controller } = reply;
    const settings = this.options.settings.get();
    try {
      await this.setStatus(reply, status);
      const past = history ?? (await this.store.listMessages(session.id, {})).items.filter((m) => m.id !== reply.message.id);
      const context = await this.options.context.forReply({
        session,
        history: past,
        publish: (payload) => writer.publish(payload),
        messageId: reply.message.id,
        signal: controller.signal,
      });
      // Read when the reply ends: how full the context is then (as before the reply, if no model call was made).
      writer.contextUsage = () => context.usage(writer.message) ?? session.context;
      const job = {
        writer,
        session,
        model,
        context,
        history: past,
        mode: session.execution_mode ?? settings.execution_mode,
        maxTurns: settings.max_turns,
        toolTimeoutMs: settings.tool_timeout_ms,
        signal: controller.signal,
        remembered: (tool: string) => this.store.permissions.get(tool),
        askApproval: (part: ToolCallPart, reason: string, signal: AbortSignal) => this.askApproval(reply, part, reason, signal),
      };
      try {
        await runAgentLoop(job, { catalog: this.options.catalog, model: this.options.model });
        return await writer.finish('complete');
      } catch (error) {
        return await endWithError({ writer, signal: controller.signal, error, store: this.store, logger: this.options.logger });
      }
    } catch (error) {
      // Writing the end failed (the session was deleted under it): never an unhandled rejection.
      this.options.logger.warn({ err: error, session_id: session.id }, 'could not save the end of a reply');
      return reply.message;
    } finally {
      this.running.delete(session.id);
      const released = this.letGo(reply);
      this.releasing.set(session.id, released);
      await released;
      if (this.releasing.get(session.id) === released) this.releasing.delete(session.id);
    }
  }

  /** After a reply: its session idle again and its slot free. */
  private async letGo(reply: RunningReply): Promise<void> {
    const { writer, controller } = reply;
    if (!writer.detached) await this.setStatus(reply, 'idle').catch(ignore);
    // Left waiting for a person at shutdown: its lease expires, and another instance (or this one restarted) resumes it.
    const leftWaiting = writer.detached && controller.signal.reason instanceof StopReason && controller.signal.reason.kind === 'shutdown';
    if (!leftWaiting) await reply.slot.release();
  }

  /**
   * Asks a person about a call through Approvals, and shows the session waiting meanwhile. A call
   * answered while nobody listened (before a restart) gets its answer at once.
   */
  private async askApproval(reply: RunningReply, part: ToolCallPart, reason: string, signal: AbortSignal): Promise<ApprovalAnswer> {
    const { writer } = reply;
    const pending = await this.approvals.ask({ sessionId: writer.sessionId, messageId: writer.message.id, part, reason, signal });
    if (pending.approval.status === 'resolved') {
      // Answered while nobody listened: a resumed reply that was shown waiting runs on.
      await this.setStatus(reply, 'running');
      return pending.answer;
    }
    if (pending.created) {
      await writer.setToolStatus(part, 'awaiting_approval');
      await writer.publish({ type: 'approval_request', message_id: writer.message.id, id: pending.approval.id, tool_call_id: part.id, tool: part.tool, arguments: part.arguments, reason });
    }
    reply.waiting++;
    try {
      await this.setStatus(reply, 'waiting_approval');
      return await pending.answer;
    } finally {
      reply.waiting--;
      if (this.running.get(writer.sessionId) === reply) await this.setStatus(reply, reply.waiting > 0 ? 'waiting_approval' : 'running');
    }
  }

  /** The session's status as this reply sets it: written, then announced (only when it changes). */
  private async setStatus(reply: RunningReply, status: SessionStatus): Promise<void> {
    if (reply.status === status) return;
    reply.status = status;
    const session = await this.store.updateSession(reply.message.session_id, { status });
    if (session) await this.events.publish(session.id, { type: 'session_updated', session });
  }

  private writerOf(message: Message): ReplyWriter {
    return new ReplyWriter({ message, store: this.store, events: this.events, partialSaves: this.partialSaves, pacer: this.pacer });
  }
}
