import type { ExecutionMode } from '../api/settings.js';
import type { ToolCallPart, ToolResultBody } from '../api/messages.js';
import type { PermissionDecision } from '../api/permissions.js';
import type { ExposedTool } from '../extensions/tool.js';
import type { ApprovalAnswer } from './approvals.js';
import type { ReplyWriter } from './reply-writer.js';
import { StopReason } from './stop-reason.js';

/** What running a reply's tool calls needs from the reply it belongs to. */
export interface ToolRunContext {
  writer: ReplyWriter;
  tools: ReadonlyMap<string, ExposedTool>;
  mode: ExecutionMode;
  workingDirectory: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** The remembered always_allow / always_deny of a tool, if any. */
  remembered(tool: string): Promise<PermissionDecision | null>;
  /** Asks a person about the call and waits for the answer (the reply's lifecycle does the asking). */
  askApproval(part: ToolCallPart, reason: string, signal: AbortSignal): Promise<ApprovalAnswer>;
}

/** Why a call needs a person, or null when it may run now. */
function approvalReason(mode: ExecutionMode, tool: ExposedTool): string | null {
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
export async function runToolCalls(parts: readonly ToolCallPart[], context: ToolRunContext): Promise<void> {
  const { signal } = context;
  const calls = parts.map(() => new AbortController());
  const abortAll = () => {
    for (const call of calls) call.abort(signal.reason);
  };
  if (signal.aborted) abortAll();
  else signal.addEventListener('abort', abortAll, { once: true });
  try {
    // Every call settles before this returns or throws: a reply must not end, and write its final
    // message, while a sibling call is still being killed or is about to write its result. A call
    // that fails ends the reply, so it stops its siblings rather than leave them waiting.
    const run = (part: ToolCallPart, i: number) =>
      runToolCall(part, { ...context, signal: calls[i].signal }).catch((error: unknown) => {
        for (const call of calls) call.abort(error);
        throw error;
      });
    const outcomes = await Promise.allSettled(parts.map(run));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    signal.removeEventListener('abort', abortAll);
  }
}

/** How a reply ended without finishing its tool calls: the way it was stopped, or a failure. */
export type UnfinishedEnding = StopReason['kind'] | 'failure';

/**
 * The terminal status and result of a call the reply never finished, so that no call shows as
 * waiting or running after its reply ended. A call marked running may have taken effect; one that
 * was pending or waiting for approval never ran.
 */
export function unfinishedToolResult(part: ToolCallPart, ending: UnfinishedEnding): { status: ToolCallPart['status']; result: ToolResultBody } {
  const started = part.status === 'running';
  const content = {
    cancel: started ? 'The reply was cancelled while this tool call ran; it may or may not have taken effect.' : 'The tool call was cancelled before it ran.',
    shutdown: started ? 'The server stopped while this tool call ran; it may or may not have taken effect.' : 'The server stopped before this tool call ran.',
    failure: started ? 'The reply failed while this tool call ran; it may or may not have taken effect.' : 'The reply failed before this tool call ran.',
  }[ending === 'deleted' ? 'cancel' : ending];
  return { status: ending === 'failure' ? 'error' : 'cancelled', result: { content, is_error: true } };
}

/**
 * Gives every tool call of the reply still without a result (or only those `which` picks) its
 * terminal status, result and `tool_result` event.
 */
export async function settleUnfinishedToolCalls(writer: ReplyWriter, ending: UnfinishedEnding, which: (part: ToolCallPart) => boolean = () => true): Promise<void> {
  const settling: Promise<void>[] = [];
  for (const part of writer.message.parts) {
    if (part.type !== 'tool_call' || part.result !== null || !which(part)) continue;
    const { status, result } = unfinishedToolResult(part, ending);
    // All begun at once: a writer detached right after still completes them (see ReplyWriter.detach).
    settling.push(writer.setToolResult(part, status, result));
  }
  await Promise.all(settling);
}

/** A call's signal carries the reply's StopReason, or the error of a sibling call that failed. */
function endingOf(signal: AbortSignal): UnfinishedEnding {
  return signal.reason instanceof StopReason ? signal.reason.kind : 'failure';
}

/**
 * Runs one tool call the way the execution mode says: at once, after an approval, or not at all.
 * Always ends with a result on the part (the model must get one for every call it made).
 */
async function runToolCall(part: ToolCallPart, context: ToolRunContext): Promise<void> {
  const { writer } = context;
  const finish = (status: ToolCallPart['status'], result: ToolResultBody) => writer.setToolResult(part, status, result);
  const tool = context.tools.get(part.tool);
  if (context.mode === 'chat') return finish('error', { content: 'Tools are disabled in this session (execution mode "chat").', is_error: true });
  if (!tool) return finish('error', { content: `There is no tool named ${part.tool}. Use one of the tools offered.`, is_error: true });

  const remembered = await context.remembered(part.tool);
  if (remembered === 'always_deny') {
    return finish('denied', { content: `The user has denied ${part.tool} permanently. Do not call it again; find another way or ask the user.`, is_error: true });
  }
  const reason = remembered === 'always_allow' ? null : approvalReason(context.mode, tool);
  let approvalNote = '';
  if (reason !== null) {
    let answer: ApprovalAnswer;
    try {
      answer = await context.askApproval(part, reason, context.signal);
    } catch (error) {
      // Stopped while waiting for a person: the call ends here, with a result saying it never ran.
      // A reply that shutdown leaves waiting (its writer detached) keeps the call waiting instead,
      // to ask again after the restart.
      if (!context.signal.aborted || writer.detached) throw error;
      const { status, result } = unfinishedToolResult(part, endingOf(context.signal));
      return finish(status, result);
    }
    if (answer.decision === 'deny' || answer.decision === 'always_deny') {
      const note = answer.message ? ` The user said: ${answer.message}` : '';
      return finish('denied', { content: `The user denied this call to ${part.tool}.${note}`, is_error: true });
    }
    if (answer.message) approvalNote = `\n(The user approved this call and said: ${answer.message})`;
  }

  await writer.setToolStatus(part, 'running');
  const result = await tool.call(part.arguments, {
    workingDirectory: context.workingDirectory,
    signal: context.signal,
    timeoutMs: context.timeoutMs,
    // Live, and only news: a progress event that cannot go out is not the call's failure.
    onProgress: (progress) => void writer.publish({ type: 'tool_progress', message_id: writer.message.id, id: part.id, ...progress }).catch(() => {}),
  });
  if (context.signal.aborted) return finish('cancelled', { content: `${result.content}\n(cancelled)`.trim(), is_error: true });
  await finish(result.isError ? 'error' : 'done', { content: result.content + approvalNote, is_error: result.isError });
}
