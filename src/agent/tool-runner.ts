import type { ExecutionMode } from '../api/settings.js';
import type { ToolCallPart, ToolResultBody } from '../api/messages.js';
import type { Store } from '../store/store.js';
import type { AgentTool } from './agent-tools.js';
import type { ApprovalBroker } from './approval-broker.js';
import type { ReplyWriter } from './reply-writer.js';

export interface ToolRunContext {
  writer: ReplyWriter;
  tools: ReadonlyMap<string, AgentTool>;
  mode: ExecutionMode;
  workingDirectory: string;
  signal: AbortSignal;
  timeoutMs: number;
}

/** Why a call needs a person, or null when it may run now. */
function approvalReason(mode: ExecutionMode, tool: AgentTool): string | null {
  if (mode === 'approve') return 'Every tool call needs approval (execution mode "approve").';
  if (mode === 'smart_approval' && !tool.readOnly) return `${tool.name} can change things (it is not declared read-only).`;
  return null;
}

/**
 * Runs the tool calls of one model turn in parallel. Each call gets a signal of its own, all
 * aborted by one listener on the reply's signal: a call listens on its signal (its approval wait,
 * the developer extension, its command), and fifteen calls would otherwise stack fifteen listeners
 * on the reply's signal, past Node's warning threshold of ten.
 */
export async function runToolCalls(parts: readonly ToolCallPart[], context: ToolRunContext, store: Store, approvals: ApprovalBroker): Promise<void> {
  const { signal } = context;
  const calls = parts.map(() => new AbortController());
  const abortAll = () => {
    for (const call of calls) call.abort(signal.reason);
  };
  if (signal.aborted) abortAll();
  else signal.addEventListener('abort', abortAll, { once: true });
  try {
    await Promise.all(parts.map((part, i) => runToolCall(part, { ...context, signal: calls[i].signal }, store, approvals)));
  } finally {
    signal.removeEventListener('abort', abortAll);
  }
}

/**
 * Runs one tool call the way the execution mode says: at once, after an approval, or not at all.
 * Always ends with a result on the part (the model must get one for every call it made).
 */
async function runToolCall(part: ToolCallPart, context: ToolRunContext, store: Store, approvals: ApprovalBroker): Promise<void> {
  const { writer } = context;
  const finish = (status: ToolCallPart['status'], result: ToolResultBody) => writer.setToolResult(part, status, result);
  const tool = context.tools.get(part.tool);
  if (context.mode === 'chat') return finish('error', { content: 'Tools are disabled in this session (execution mode "chat").', is_error: true });
  if (!tool) return finish('error', { content: `There is no tool named ${part.tool}. Use one of the tools offered.`, is_error: true });

  const remembered = store.permissions.get(part.tool);
  if (remembered === 'always_deny') {
    return finish('denied', { content: `The user has denied ${part.tool} permanently. Do not call it again; find another way or ask the user.`, is_error: true });
  }
  const reason = remembered === 'always_allow' ? null : approvalReason(context.mode, tool);
  let approvalNote = '';
  if (reason !== null) {
    const answer = await approvals.ask(writer, part, reason, context.signal);
    if (answer.decision === 'deny' || answer.decision === 'always_deny') {
      const note = answer.message ? ` The user said: ${answer.message}` : '';
      return finish('denied', { content: `The user denied this call to ${part.tool}.${note}`, is_error: true });
    }
    if (answer.message) approvalNote = `\n(The user approved this call and said: ${answer.message})`;
  }

  writer.setToolStatus(part, 'running');
  const result = await tool.call(part.arguments, {
    workingDirectory: context.workingDirectory,
    signal: context.signal,
    timeoutMs: context.timeoutMs,
    onProgress: (progress) => writer.publish({ type: 'tool_progress', message_id: writer.message.id, id: part.id, ...progress }),
  });
  if (context.signal.aborted) return finish('cancelled', { content: `${result.content}\n(cancelled)`.trim(), is_error: true });
  finish(result.isError ? 'error' : 'done', { content: result.content + approvalNote, is_error: result.isError });
}
