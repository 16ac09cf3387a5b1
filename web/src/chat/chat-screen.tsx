import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApprovalDecision } from '../../../src/client/index.js';
import { describeError, GoosedError } from '../lib/api.js';
import { announce } from '../lib/announce.js';
import { sessionsChanged } from '../sessions/session-list.js';
import { answerApproval, cancelReply, sendMessage } from './chat-actions.js';
import { ChatHeader } from './chat-header.js';
import { Composer } from './composer.js';
import { MessageView } from './message-view.js';
import { useChat, type Connection } from './use-chat.js';

export function ChatScreen({ sessionId, keyVersion }: { sessionId: string; keyVersion: number }) {
  const { chat, connection } = useChat(sessionId, keyVersion);
  const [problem, setProblem] = useState<{ text: string; code?: string } | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const session = chat.session;
  const running = chat.messages.some((message) => message.role === 'assistant' && message.status === 'running');
  const approvals = Object.values(chat.approvals);

  useEffect(() => setProblem(null), [sessionId]);
  // Follow the reply as it grows, unless the reader scrolled up to read something.
  useLayoutEffect(() => {
    const element = log.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [chat.messages, approvals.length]);
  // The list shows names and whether a reply runs.
  useEffect(() => sessionsChanged(), [session?.name, session?.status]);
  useEffect(() => {
    if (approvals.length > 0) announce(`Approval needed for ${approvals[0].tool}`);
  }, [approvals.length]);
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) announce('Reply finished');
    wasRunning.current = running;
  }, [running]);

  const report = (error: unknown) => setProblem({ text: describeError(error), code: error instanceof GoosedError ? error.code : undefined });
  const send = async (content: string) => {
    setProblem(null);
    stickToBottom.current = true;
    try {
      await sendMessage(sessionId, content);
      return true;
    } catch (error) {
      report(error);
      return false;
    }
  };
  const cancel = async () => {
    try {
      await cancelReply(sessionId);
    } catch (error) {
      report(error);
    }
  };
  const answer = async (approvalId: string, decision: ApprovalDecision) => {
    try {
      await answerApproval(sessionId, approvalId, decision);
    } catch (error) {
      report(error);
    }
  };

  if (connection.state === 'gone') {
    return (
      <div class="panel">
        <h1>Session not found</h1>
        <p>It may have been deleted. Pick another one from the list, or start a new one.</p>
      </div>
    );
  }
  return (
    <div class="chat" aria-busy={connection.state === 'loading'}>
      {session ? <ChatHeader session={session} onError={(text) => setProblem(text ? { text } : null)} /> : <header class="chat-head" />}
      <ConnectionNotice connection={connection} />
      <div
        class="log"
        ref={log}
        tabIndex={0}
        aria-label="Conversation"
        onScroll={(event) => {
          const element = event.currentTarget;
          stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
        }}
      >
        {session && chat.messages.length === 0 && (
          <div class="empty">
            <p>Nothing here yet. Ask for something — the agent can read and change files in</p>
            <p class="mono">{session.working_directory}</p>
          </div>
        )}
        {chat.messages.map((message) => (
          <MessageView key={message.id} message={message} approvals={approvals} progress={chat.progress} onAnswer={answer} />
        ))}
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem.text}
          {problem.code === 'no_provider' && (
            <>
              {' '}
              <a href="#/providers">Set up a provider</a>
            </>
          )}
        </p>
      )}
      <Composer running={running} connected={connection.state === 'open'} onSend={send} onCancel={cancel} />
    </div>
  );
}

function ConnectionNotice({ connection }: { connection: Connection }) {
  if (connection.state === 'reconnecting') {
    return (
      <p class="notice" role="status">
        Connection lost — reconnecting; nothing of the reply is lost.
      </p>
    );
  }
  if (connection.state === 'failed') {
    return (
      <p class="notice error" role="alert">
        {connection.message}
      </p>
    );
  }
  return null;
}
