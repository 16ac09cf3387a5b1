import { useState } from 'preact/hooks';
import type { ApprovalDecision, ToolCallPart } from '../../../src/client/index.js';
import { splitToolName } from '../lib/format.js';
import type { PendingApproval, ToolProgress } from './chat-state.js';

const statusLabels: Record<ToolCallPart['status'], string> = {
  pending: 'Starting',
  awaiting_approval: 'Needs approval',
  running: 'Running',
  done: 'Done',
  denied: 'Denied',
  cancelled: 'Cancelled',
  error: 'Failed',
};

interface ToolCallCardProps {
  call: ToolCallPart;
  approval: PendingApproval | null;
  progress: ToolProgress | null;
  onAnswer: (approvalId: string, decision: ApprovalDecision) => Promise<void>;
}

export function ToolCallCard({ call, approval, progress, onAnswer }: ToolCallCardProps) {
  const [extension, tool] = splitToolName(call.tool);
  const status = approval ? 'awaiting_approval' : call.status;
  const headingId = `tool-${call.id}`;
  return (
    <section class={`tool-card ${status}`} aria-labelledby={headingId}>
      <header class="tool-head">
        <h3 id={headingId}>
          {extension && <span class="muted">{extension} › </span>}
          {tool}
        </h3>
        <span class={`badge ${status}`}>{statusLabels[status]}</span>
      </header>
      <ToolArguments args={call.arguments} />
      {progress && status === 'running' && (
        <p class="muted small-text">
          {progress.message ?? 'Working'}
          {progress.total ? ` (${progress.progress}/${progress.total})` : ''}
        </p>
      )}
      {approval && <ApprovalPrompt approval={approval} onAnswer={onAnswer} />}
      {call.result && (
        <div class="tool-result">
          <h4>{call.result.is_error ? 'Error' : 'Result'}</h4>
          <pre class={call.result.is_error ? 'code error' : 'code'} tabIndex={0}>
            {call.result.content || '(no output)'}
          </pre>
        </div>
      )}
    </section>
  );
}

/** A shell command is shown as a command line; the other arguments as JSON. */
function ToolArguments({ args }: { args: Record<string, unknown> }) {
  const { command, ...rest } = args;
  const shown = typeof command === 'string' ? rest : args;
  if (typeof command !== 'string' && Object.keys(args).length === 0) return null;
  return (
    <div class="tool-args">
      <h4>Arguments</h4>
      {typeof command === 'string' && (
        <pre class="code command" tabIndex={0}>
          <span aria-hidden="true" class="prompt">
            ${' '}
          </span>
          {command}
        </pre>
      )}
      {Object.keys(shown).length > 0 && (
        <pre class="code" tabIndex={0}>
          {JSON.stringify(shown, null, 2)}
        </pre>
      )}
    </div>
  );
}

function ApprovalPrompt({ approval, onAnswer }: { approval: PendingApproval; onAnswer: ToolCallCardProps['onAnswer'] }) {
  const [busy, setBusy] = useState<ApprovalDecision | null>(null);
  const answer = async (decision: ApprovalDecision) => {
    setBusy(decision);
    try {
      await onAnswer(approval.id, decision);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div class="approval" role="group" aria-label={`Approve ${approval.tool}?`}>
      <p>
        <strong>Allow this call?</strong> <span class="muted">{approval.reason}</span>
      </p>
      <div class="row">
        <button type="button" class="button primary" disabled={busy !== null} onClick={() => answer('allow_once')}>
          Allow once
        </button>
        <button type="button" class="button" disabled={busy !== null} onClick={() => answer('always_allow')}>
          Always allow
        </button>
        <button type="button" class="button danger" disabled={busy !== null} onClick={() => answer('deny')}>
          Deny
        </button>
      </div>
    </div>
  );
}
