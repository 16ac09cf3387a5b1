import type { Message } from '../api/messages.js';
import type { SessionSummary } from '../api/sessions.js';
import type { EventLog } from '../events/event-log.js';
import type { ProviderSettings, ResolvedModel } from '../providers/provider-settings.js';
import type { Store } from '../store/store.js';
import { INTERRUPTED } from './reply-ending.js';
import type { ReplyWriter } from './reply-writer.js';
import { settleUnfinishedToolCalls } from './tool-runner.js';

// What a restart or a dead instance (its lease expired) left of a session's reply, and how it is
// settled: a reply that waited for a person waits again; any other is ended as interrupted. Read
// and written only while the session's reply slot is held (see ReplyLifecycle.recoverSession).

export interface RecoveryDeps {
  store: Store;
  events: EventLog;
  providers: Pick<ProviderSettings, 'resolve'>;
  writerOf(message: Message): ReplyWriter;
}

/** A reply left at its approval, made ready to run on from there once it is answered. */
export interface ResumedReply {
  session: SessionSummary;
  userMessage: Message;
  message: Message;
  history: Message[];
  afterSeq: number;
  model: Promise<ResolvedModel>;
  status: 'waiting_approval';
}

const ignore = () => {};

/**
 * Settles the session's left reply: the one to resume at its approval is returned, to be launched;
 * otherwise every reply still marked running is ended as interrupted and the session made idle.
 */
export async function settleLeftReply(deps: RecoveryDeps, sessionId: string): Promise<ResumedReply | null> {
  const { store, events } = deps;
  const session = await store.getSession(sessionId);
  if (!session || session.status === 'idle') return null;
  const messages = (await store.listMessages(session.id, {})).items;
  const index = messages.findLastIndex((m) => m.role === 'assistant' && m.status === 'running');
  const message = index >= 0 ? messages[index] : null;
  const waiting = message && (await store.listApprovals(session.id, 'pending')).some((a) => a.message_id === message.id);
  if (message && waiting) return resumeAtApproval(deps, session, messages, index);
  for (const stale of messages.filter((m) => m.status === 'running')) {
    const writer = deps.writerOf(stale);
    await store.cancelApprovals(session.id, stale.id);
    // A tool call cut off by the crash must not show as running forever.
    await settleUnfinishedToolCalls(writer, 'shutdown');
    await writer.finish('interrupted', INTERRUPTED);
  }
  const idle = await store.updateSession(session.id, { status: 'idle' });
  if (idle) await events.publish(session.id, { type: 'session_updated', session: idle });
  return null;
}

async function resumeAtApproval({ store, events, providers }: RecoveryDeps, session: SessionSummary, messages: Message[], index: number): Promise<ResumedReply> {
  const userMessage = messages.slice(0, index).findLast((m) => m.role === 'user')!;
  const model = providers.resolve(session);
  // Awaited by the loop once the approval is answered; until then a failure waits there.
  model.catch(ignore);
  // Written before the server answers anything: until the loop reaches the approval again (its
  // extensions may take a while to start), the session still waits for a person.
  let waitingSession = session;
  if (session.status !== 'waiting_approval') {
    waitingSession = (await store.updateSession(session.id, { status: 'waiting_approval' })) ?? session;
    await events.publish(session.id, { type: 'session_updated', session: waitingSession });
  }
  const afterSeq = await events.head(session.id);
  return { session: waitingSession, userMessage, message: messages[index], history: messages.slice(0, index), afterSeq, model, status: 'waiting_approval' };
}
