import type { ApprovalDecision, Message } from '../../../src/client/index.js';
import { copyWithFeedback } from '../lib/copy-text.js';
import { formatTokens, messageTime } from '../lib/format.js';
import { pageErrorOf } from '../lib/page-error.js';
import { ProblemLine } from '../lib/problem-line.js';
import { MarkdownView } from '../markdown/markdown-view.js';
import type { PendingApproval, ToolProgress } from './chat-state.js';
import { ToolCallCard } from './tool-call-card.js';

export interface MessageViewProps {
  message: Message;
  approvals: PendingApproval[];
  progress: Record<string, ToolProgress>;
  onAnswer: (approvalId: string, decision: ApprovalDecision) => Promise<void>;
}

/** How a reply that did not complete ended: one line, whatever the reply's error says besides. */
const endings: Partial<Record<Message['status'], string>> = {
  cancelled: 'Stopped.',
  interrupted: 'Interrupted: the server stopped while this reply was running.',
};

export function MessageView({ message, approvals, progress, onAnswer }: MessageViewProps) {
  if (message.role === 'user') {
    return (
      <article class="message user" aria-label="You said">
        <div class="bubble">
          <MarkdownView text={message.content} />
        </div>
        <MessageFooter message={message} />
      </article>
    );
  }
  const running = message.status === 'running';
  const empty = message.parts.length === 0;
  const ending = endings[message.status];
  return (
    <article class={`message assistant ${message.status}`} aria-label="Reply" aria-busy={running}>
      {message.parts.map((part, index) =>
        part.type === 'text' ? (
          <MarkdownView key={`text-${index}`} text={part.text} streaming={running && index === message.parts.length - 1} />
        ) : (
          <ToolCallCard
            key={part.id}
            call={part}
            approval={approvals.find((approval) => approval.toolCallId === part.id) ?? null}
            progress={progress[part.id] ?? null}
            onAnswer={onAnswer}
          />
        ),
      )}
      {running && (
        <span class="typing" aria-label="Replying">
          {empty && <span class="muted small-text">Thinking</span>}
          <i />
          <i />
          <i />
        </span>
      )}
      {ending ? (
        <p class="message-ending">{ending}</p>
      ) : (
        message.error && <ProblemLine class="message-error" problem={pageErrorOf(message.error.code, message.error.error)} />
      )}
      {!running && <MessageFooter message={message} />}
    </article>
  );
}

/** When it was written, what it cost, and a button that copies its text (as markdown). */
function MessageFooter({ message }: { message: Message }) {
  const time = messageTime(message.created_at);
  return (
    <footer class="message-footer">
      <time dateTime={message.created_at} title={time.title}>
        {time.label}
      </time>
      {message.usage && message.usage.total_tokens > 0 && <span class="usage">{formatTokens(message.usage.total_tokens)}</span>}
      {message.content && (
        <button type="button" class="copy-message" aria-label={message.role === 'user' ? 'Copy what you wrote' : 'Copy the reply'} onClick={(event) => copyWithFeedback(event.currentTarget, message.content)}>
          Copy
        </button>
      )}
    </footer>
  );
}
