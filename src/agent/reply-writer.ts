import { randomUUID } from 'node:crypto';
import type { Message, ToolCallPart, ToolResultBody, Usage } from '../api/messages.js';
import type { ContextUsage } from '../api/context.js';
import type { EventPayload } from '../api/events.js';
import type { EventLog } from '../events/event-log.js';
import { replyEnd } from '../events/reply-end.js';
import type { Store } from '../store/store.js';
import type { StepToolCall } from './model-step.js';
import { PartialSaves, type PartialSave } from './partial-saves.js';
import type { HeldRelay, TextRelayPacer } from './text-relay-pacer.js';

export interface ReplyWriterOptions {
  /** The assistant message, already stored; the writer changes it in place. */
  message: Message;
  store: Pick<Store, 'saveMessage' | 'appendMessageText' | 'addUsage' | 'updateSession'>;
  events: EventLog;
  /** Text is saved at most this often while it streams. */
  flushIntervalMs?: number;
  /** The timer shared by the replies of a server (their saves then go to the store together); one of its own if none. */
  partialSaves?: PartialSaves;
  /** How often text is relayed under load, shared by the replies of a server; none: as it arrives. */
  pacer?: TextRelayPacer;
}

const ignore = () => {};

/**
 * The assistant message being written, and the one place that turns its changes into store writes
 * and events. It belongs to the reply lifecycle, which hands it to the loop it runs. Text deltas
 * are saved at most every `flushIntervalMs`, so a crash loses at most that much text; everything
 * else is saved before its event goes out. Saves run one after another, each taking the message as
 * it is then, so the last one stored is the newest. A save of streamed text stores only the text
 * added since the save before it (Store.appendMessageText); any other save writes the message whole.
 *
 * Text is relayed at most twice per turn of the event loop: the first delta of a turn at once, and
 * the deltas that followed it in the same turn (one network read of the provider's stream often
 * holds many) as one `content_delta` right after the turn's I/O. Relaying is then paid per read,
 * not per token; the first token of a burst does not wait for the rest. Only when the server is
 * saturated does text after a reply's first wait for the pacer's tick (see TextRelayPacer).
 */
export class ReplyWriter implements PartialSave, HeldRelay {
  readonly message: Message;
  private readonly store: ReplyWriterOptions['store'];
  private readonly events: EventLog;
  private readonly partialSaves: PartialSaves;
  private dirty = false;
  private saving: Promise<void> = Promise.resolve();
  /** Text appended since the message as stored (its last whole save and the appends after it) was taken. */
  private unsavedText = '';
  /** A whole save failed: the stored message lacks text no append holds, so the next save is whole. */
  private wholeSaveFailed = false;
  /** Text appended since the last `content_delta`. */
  private unsentText = '';
  private relayScheduled = false;
  /** Some text of this reply has gone out: what follows may wait for the pacer. */
  private relayedText = false;
  private readonly pacer: TextRelayPacer | null;
  /** Set when the session is deleted, or when shutdown leaves the reply waiting for a person. */
  detached = false;
  /** How full the session's context is when the reply ends: saved with the session, sent with message_complete. */
  contextUsage: (() => ContextUsage | null) | null = null;

  constructor(options: ReplyWriterOptions) {
    this.message = options.message;
    this.store = options.store;
    this.events = options.events;
    this.partialSaves = options.partialSaves ?? new PartialSaves(options.flushIntervalMs ?? 100);
    this.pacer = options.pacer ?? null;
  }

  get sessionId(): string {
    return this.message.session_id;
  }

  /** Publishes an event of this reply; text still waiting to be relayed goes out before it. */
  async publish(payload: EventPayload): Promise<void> {
    if (this.detached) return;
    await this.emit(payload);
  }

  /**
   * From now on nothing is written or published: the store keeps the message as it was last saved.
   * What was begun before (a save, a result and its event) still completes: settles when it has.
   */
  async detach(): Promise<void> {
    const saved = this.save();
    this.detached = true;
    await saved;
  }

  appendText(delta: string): void {
    if (delta.length === 0) return;
    const parts = this.message.parts;
    const last = parts[parts.length - 1];
    if (last?.type === 'text') last.text += delta;
    else parts.push({ type: 'text', text: delta });
    this.unsentText += delta;
    this.unsavedText += delta;
    if (!this.relayScheduled) {
      this.relayScheduled = true;
      if (!this.relayedText || this.pacer === null || this.pacer.offer(this)) {
        // The first text of a turn goes out at once; what follows in the same turn waits for its end.
        this.relayText();
        setImmediate(this.relayScheduledText);
      }
    }
    if (!this.dirty) {
      this.dirty = true;
      this.partialSaves.add(this);
    }
  }

  /**
   * Records a call under an id of goosed's own. Providers repeat theirs (`call_1`, `0`, the tool
   * name), so an approval or result matched on the provider's id could answer another call.
   */
  async addToolCall(call: StepToolCall): Promise<ToolCallPart> {
    const part: ToolCallPart = {
      type: 'tool_call', id: newToolCallId(), provider_call_id: call.providerCallId, tool: call.tool, arguments: call.arguments, status: 'pending', result: null,
    };
    this.message.parts.push(part);
    if (this.detached) return part;
    await this.save();
    await this.emit({ type: 'tool_use', message_id: this.message.id, id: part.id, tool: part.tool, arguments: part.arguments });
    return part;
  }

  /**
   * A detached writer leaves its calls as they are: a save begun before it detached may not have
   * taken the message yet (it takes it when it runs), and must store the call as it was then.
   */
  async setToolStatus(part: ToolCallPart, status: ToolCallPart['status']): Promise<void> {
    if (this.detached) return;
    part.status = status;
    await this.save();
  }

  async setToolResult(part: ToolCallPart, status: ToolCallPart['status'], result: ToolResultBody): Promise<void> {
    if (this.detached) return;
    part.status = status;
    part.result = result;
    await this.save();
    await this.emit({ type: 'tool_result', message_id: this.message.id, id: part.id, ...result });
  }

  addUsage(usage: Usage): void {
    const total = (this.message.usage ??= { input_tokens: 0, output_tokens: 0, total_tokens: 0 });
    total.input_tokens += usage.input_tokens;
    total.output_tokens += usage.output_tokens;
    total.total_tokens += usage.total_tokens;
  }

  /**
   * Ends the reply: the final message is saved, then one last event goes out (see replyEnd):
   * `message_complete`, or `error` when it ended with one (the message keeps what was produced).
   */
  async finish(status: Exclude<Message['status'], 'running'>, error: { error: string; code: string } | null = null): Promise<Message> {
    if (this.detached) return this.message;
    this.message.status = status;
    this.message.error = error;
    const context = this.contextUsage?.() ?? null;
    // Made together: the store commits them at once.
    await Promise.all([
      this.save(),
      this.message.usage ? this.store.addUsage(this.sessionId, this.message.usage) : null,
      context ? this.store.updateSession(this.sessionId, { context }) : null,
    ]);
    await this.emit(replyEnd(this.message, context ?? undefined));
    return this.message;
  }

  /** Writes the message now (durable changes, and the end of the reply), after any save in flight. */
  save(): Promise<void> {
    if (this.detached) return this.saving;
    this.partialSaves.delete(this);
    this.dirty = false;
    return this.queue(this.writeWhole);
  }

  /**
   * Saves the text streamed since the last save. A failed save is not the reply's end: its text is
   * kept for the next one (at the latest the whole save at the reply's end).
   */
  flushPartial(): void {
    if (!this.dirty || this.detached) return;
    this.dirty = false;
    this.queue(this.writeAppended).catch(ignore);
  }

  /** Runs a write once the one before it has settled. */
  private queue(write: () => Promise<void>): Promise<void> {
    const saved = this.saving.then(write);
    this.saving = saved.catch(ignore);
    return saved;
  }

  private readonly writeWhole = async (): Promise<void> => {
    this.unsavedText = '';
    this.message.content = textOf(this.message);
    try {
      await this.store.saveMessage(this.message);
      this.wholeSaveFailed = false;
    } catch (error) {
      this.wholeSaveFailed = true;
      throw error;
    }
  };

  private readonly writeAppended = async (): Promise<void> => {
    if (this.wholeSaveFailed) return this.writeWhole();
    const text = this.unsavedText;
    if (text === '') return;
    this.unsavedText = '';
    try {
      await this.store.appendMessageText(this.sessionId, this.message.id, text);
    } catch {
      // Kept before any text added since, and saved at the next tick.
      this.unsavedText = text + this.unsavedText;
      if (!this.dirty && !this.detached) {
        this.dirty = true;
        this.partialSaves.add(this);
      }
    }
  };

  /** An event of an operation begun while attached (it completes even if detached meanwhile). */
  private emit(payload: EventPayload): Promise<unknown> {
    this.relayText();
    return this.events.publish(this.sessionId, payload);
  }

  private readonly relayScheduledText = () => {
    this.relayScheduled = false;
    this.relayText();
  };

  /** The pacer's tick: the text held since the last one goes out. */
  relayHeld(): void {
    this.relayScheduledText();
  }

  private relayText(): void {
    if (this.unsentText === '') return;
    const delta = this.unsentText;
    this.unsentText = '';
    this.relayedText = true;
    if (!this.detached) void this.events.publish(this.sessionId, { type: 'content_delta', message_id: this.message.id, delta });
  }
}

export function textOf(message: Pick<Message, 'parts'>): string {
  let text = '';
  for (const part of message.parts) if (part.type === 'text') text += part.text;
  return text;
}

/** Fits every provider's rules should it reach a prompt: letters, digits and `_`, at most 40 characters. */
function newToolCallId(): string {
  return `tc_${randomUUID().replaceAll('-', '')}`;
}
