import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApprovalDecision } from '../../../src/client/index.js';
import { GoosedError, problemOf } from '../lib/api.js';
import { announce } from '../lib/announce.js';
import type { PageError } from '../lib/page-error.js';
import { ProblemLine } from '../lib/problem-line.js';
import { sessionsChanged } from '../sessions/session-list.js';
import { answerApproval, cancelReply, sendMessage } from './chat-actions.js';
import { ChatHeader } from './chat-header.js';
import { Composer, type SendResult } from './composer.js';
import { ConnectionNotice, useRestartNotice } from './connection-notice.js';
import { MessageView } from './message-view.js';
import { SummaryDivider } from './summary-divider.js';
import { useChat } from './use-chat.js';

export function ChatScreen({ sessionId, keyVersion }: { sessionId: string; keyVersion: number }) {
  const { chat, connection } = useChat(sessionId, keyVersion);
  const [problem, setProblem] = useState<PageError | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const session = chat.session;
  const running = chat.messages.some((message) => message.role === 'assistant' && message.status === 'running');
  const approvals = Object.values(chat.approvals);

  const restart = useRestartNotice(chat.messages, connection);

  useEffect(() => setProblem(null), [sessionId]);
  // Follow the reply as it grows, unless the reader scrolled up to read something.
  useLayoutEffect(() => {
    const element = log.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [chat.messages, approvals.length, connection.state, restart.shown]);
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

  const report = (error: unknown) => setProblem(problemOf(error));
  const send = async (content: string, queue: boolean): Promise<SendResult> => {
    setProblem(null);
    restart.dismiss();
    stickToBottom.current = true;
    try {
      await sendMessage(sessionId, content, { queue });
      return 'sent';
    } catch (error) {
      if (error instanceof GoosedError && error.code === 'session_busy') return 'busy';
      report(error);
      return 'failed';
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
      <ConnectionNotice connection={connection} restarted={restart.shown} onDismiss={restart.dismiss} />
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
          <Fragment key={message.id}>
            <MessageView message={message} approvals={approvals} progress={chat.progress} onAnswer={answer} />
            {chat.summaries
              .filter((summary) => summary.through_message_id === message.id)
              .map((summary) => (
                <SummaryDivider key={summary.id} summary={summary} />
              ))}
          </Fragment>
        ))}
      </div>
      {problem && <ProblemLine problem={problem} />}
      <Composer running={running} connected={connection.state === 'open'} onSend={send} onCancel={cancel} />
    </div>
  );
}
