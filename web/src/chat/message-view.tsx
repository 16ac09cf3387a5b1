import type { ApprovalDecision, Message } from '../../../src/client/index.js';
import { formatTokens } from '../lib/format.js';
import type { PendingApproval, ToolProgress } from './chat-state.js';
import { ToolCallCard } from './tool-call-card.js';

export interface MessageViewProps {
  message: Message;
  approvals: PendingApproval[];
  progress: Record<string, ToolProgress>;
  onAnswer: (approvalId: string, decision: ApprovalDecision) => Promise<void>;
}

const endings: Partial<Record<Message['status'], string>> = {
  cancelled: 'Stopped.',
  interrupted: 'Interrupted: the server stopped while this reply was running.',
};

export function MessageView({ message, approvals, progress, onAnswer }: MessageViewProps) {
  if (message.role === 'user') {
    return (
      <article class="message user" aria-label="You said">
        <Text text={message.content} />
      </article>
    );
  }
  const running = message.status === 'running';
  const empty = message.parts.length === 0;
  return (
    <article class={`message assistant ${message.status}`} aria-label="Reply" aria-busy={running}>
      {message.parts.map((part) =>
        part.type === 'text' ? (
          <Text text={part.text} />
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
      {message.error && (
        <p class="message-error" role="alert">
          {message.error.error} <span class="mono muted">({message.error.code})</span>
        </p>
      )}
      {endings[message.status] && <p class="message-ending muted small-text">{endings[message.status]}</p>}
      {!running && message.usage && message.usage.total_tokens > 0 && <p class="usage">{formatTokens(message.usage.total_tokens)}</p>}
    </article>
  );
}

/** Text as written, with ``` fences as code blocks. Everything is a text node: nothing the model says becomes markup. */
function Text({ text }: { text: string }) {
  const pieces: { code: boolean; text: string }[] = [];
  const fence = /```[^\n`]*\n?([\s\S]*?)(?:```|$)/g;
  let last = 0;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    if (match.index > last) pieces.push({ code: false, text: text.slice(last, match.index) });
    pieces.push({ code: true, text: match[1].replace(/\n$/, '') });
    last = fence.lastIndex;
  }
  if (last < text.length) pieces.push({ code: false, text: text.slice(last) });
  return (
    <div class="text">
      {pieces.map((piece) => {
        if (piece.code) return <pre class="code">{piece.text}</pre>;
        const prose = piece.text.replace(/^\n+|\n+$/g, '');
        return prose && <p>{prose}</p>;
      })}
    </div>
  );
}
