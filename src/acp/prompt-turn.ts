import { randomUUID } from 'node:crypto';
import { RequestError, type AgentContext, type RequestPermissionRequest, type SessionUpdate } from '@agentclientprotocol/sdk';
import type { PromptResponse } from '@agentclientprotocol/sdk/unstable';
import type { Logger } from 'pino';
import { GoosedError } from '../client/goosed-error.js';
import { readSessionEvents } from '../client/read-session-events.js';
import type { GoosedClient } from '../client/create-client.js';
import type { ApprovalDecision, SessionEvent } from '../client/types.js';
import { decisionOf, permissionOptions } from './permission-options.js';
import { toRequestError } from './request-errors.js';
import { pendingToolCall, resultContent, viewOfToolCall, type ToolCallView } from './tool-call-view.js';

export interface PromptTurnOptions {
  api: GoosedClient;
  client: AgentContext;
  sessionId: string;
  workingDirectory: string;
  content: string;
  logger: Logger;
  /** Aborted when the editor went away: stop relaying (the reply goes on in goosed, as for a closed browser tab). */
  signal: AbortSignal;
}

type Ending = Pick<PromptResponse, 'stopReason' | 'usage'>;

/**
 * One `session/prompt`: sends the message to goosed and relays the reply's events as
 * `session/update`s until it ends. Approvals become `session/request_permission`; an approval
 * answered elsewhere (the web page) withdraws the editor's request.
 */
export class PromptTurn {
  private replyId: string | null = null;
  private cancelRequested = false;
  private readonly calls = new Map<string, ToolCallView>();
  private readonly started = new Set<string>();
  /** The tool call each approval is about. */
  private readonly approvals = new Map<string, string>();
  /** Open permission requests, by approval id; aborting one withdraws it from the editor. */
  private readonly asking = new Map<string, AbortController>();

  constructor(private readonly options: PromptTurnOptions) {}

  async run(): Promise<Ending> {
    const { api, sessionId } = this.options;
    const { data, error, response } = await api.POST('/api/sessions/{id}/messages/stream', {
      params: { path: { id: sessionId } },
      // An id of our own: a request sent again after goosed restarted does not start a second reply.
      body: { content: this.options.content, id: `acp-${randomUUID()}` },
      parseAs: 'stream',
      signal: this.options.signal,
    });
    if (error !== undefined || !response.ok || !data) throw toRequestError(GoosedError.fromBody(response.status, error, response.statusText), sessionId);
    try {
      for await (const event of readSessionEvents(response)) {
        const ending = await this.relay(event);
        if (ending) return ending;
      }
    } catch (caught) {
      if (this.options.signal.aborted) throw RequestError.requestCancelled();
      throw toRequestError(caught);
    } finally {
      for (const withdraw of this.asking.values()) withdraw.abort();
    }
    throw new RequestError(-32603, 'The connection to goosed ended before the reply did; the reply goes on in goosed (load the session to see it).');
  }

  /** Stops the reply (its tools too); the turn then ends with `cancelled`. */
  async cancel(): Promise<void> {
    this.cancelRequested = true;
    if (this.replyId) await this.stopReply();
  }

  private async relay(event: SessionEvent): Promise<Ending | null> {
    switch (event.type) {
      case 'message_start':
        this.replyId = event.message_id ?? null;
        // A cancel that came before goosed said which reply is ours.
        if (this.cancelRequested) await this.stopReply();
        return null;
      case 'content_delta':
        await this.update({ sessionUpdate: 'agent_message_chunk', messageId: event.message_id, content: { type: 'text', text: event.delta } });
        return null;
      case 'tool_use': {
        const view = viewOfToolCall(event.tool, event.arguments, this.options.workingDirectory);
        this.calls.set(event.id, view);
        await this.update({ sessionUpdate: 'tool_call', ...pendingToolCall(event.id, view, event.arguments) });
        return null;
      }
      case 'tool_progress':
        await this.markStarted(event.id);
        return null;
      case 'approval_request':
        this.ask(event);
        return null;
      case 'approval_resolved': {
        // Answered on another side (the web page): the editor's question is moot.
        this.asking.get(event.id)?.abort();
        this.asking.delete(event.id);
        const toolCallId = this.approvals.get(event.id);
        if (toolCallId && (event.decision === 'allow_once' || event.decision === 'always_allow')) await this.markStarted(toolCallId);
        return null;
      }
      case 'tool_result': {
        const view = this.calls.get(event.id);
        await this.update({
          sessionUpdate: 'tool_call_update',
          toolCallId: event.id,
          status: event.is_error ? 'failed' : 'completed',
          content: view ? resultContent(view, event) : [{ type: 'content', content: { type: 'text', text: event.content } }],
          rawOutput: { content: event.content, is_error: event.is_error },
        });
        return null;
      }
      case 'message_complete': {
        const usage = event.message.usage;
        return {
          stopReason: event.message.status === 'cancelled' ? 'cancelled' : 'end_turn',
          usage: usage ? { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, totalTokens: usage.total_tokens } : null,
        };
      }
      case 'error':
        if (event.code === 'max_turns_reached') return { stopReason: 'max_turn_requests' };
        if (event.code === 'refused') return { stopReason: 'refusal' };
        throw new RequestError(-32603, event.error, { code: event.code });
      default:
        return null;
    }
  }

  /** Asks the editor about a tool call, without holding up the events that follow. */
  private ask(event: Extract<SessionEvent, { type: 'approval_request' }>): void {
    const { client, sessionId, workingDirectory, logger } = this.options;
    const view = this.calls.get(event.tool_call_id) ?? viewOfToolCall(event.tool, event.arguments, workingDirectory);
    const withdraw = new AbortController();
    this.approvals.set(event.id, event.tool_call_id);
    this.asking.set(event.id, withdraw);
    const request: RequestPermissionRequest = {
      sessionId,
      toolCall: pendingToolCall(event.tool_call_id, view, event.arguments),
      options: permissionOptions,
    };
    client
      .request('session/request_permission', request, { cancellationSignal: withdraw.signal, stopWaitingOnCancel: true })
      .then(decisionOf, (error: unknown): ApprovalDecision | null => {
        if (withdraw.signal.aborted) return null;
        // A client that cannot ask (or failed to) must not let the call run.
        logger.warn({ err: (error as Error).message, approval_id: event.id }, 'the permission request failed; denying');
        return 'deny';
      })
      .then((decision) => {
        this.asking.delete(event.id);
        if (decision) return this.answer(event.id, decision);
      })
      .catch((error: unknown) => logger.warn({ err: (error as Error).message, approval_id: event.id }, 'could not answer the approval'));
  }

  private async answer(approvalId: string, decision: ApprovalDecision): Promise<void> {
    const { api, sessionId, logger } = this.options;
    const { error, response } = await api.POST('/api/sessions/{id}/approvals/{approval_id}', {
      params: { path: { id: sessionId, approval_id: approvalId } },
      body: { decision },
    });
    // 409: answered elsewhere first, or the reply ended meanwhile; that answer stands.
    if (!response.ok && response.status !== 409) logger.warn({ status: response.status, error, approval_id: approvalId }, 'goosed refused the answer to an approval');
  }

  private async stopReply(): Promise<void> {
    const { api, sessionId, logger } = this.options;
    const { error, response } = await api.POST('/api/sessions/{id}/cancel', { params: { path: { id: sessionId } } });
    if (!response.ok) logger.warn({ status: response.status, error }, 'goosed refused to cancel the reply');
  }

  private async markStarted(toolCallId: string): Promise<void> {
    if (this.started.has(toolCallId)) return;
    this.started.add(toolCallId);
    await this.update({ sessionUpdate: 'tool_call_update', toolCallId, status: 'in_progress' });
  }

  private update(update: SessionUpdate): Promise<void> {
    return this.options.client.notify('session/update', { sessionId: this.options.sessionId, update });
  }
}
