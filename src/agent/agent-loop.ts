import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import type { Message, ToolCallPart } from '../api/messages.js';
import type { ExecutionMode } from '../api/settings.js';
import type { ModelSettings } from '../config/server-options.js';
import type { SessionSummary } from '../api/sessions.js';
import type { ExposedTool, ExtensionInstructions, ToolCatalog } from '../extensions/tool.js';
import { runModelStep, type StepResult } from './model-step.js';
import type { ReplyContext } from './context/reply-context.js';
import type { ResolvedModel } from '../providers/provider-settings.js';
import type { ReplyWriter } from './reply-writer.js';
import { buildSystemPrompt } from './system-prompt.js';
import { runToolCalls, type ToolRunContext } from './tool-runner.js';

/** One reply as the loop runs it, prepared by the reply lifecycle. */
export interface ReplyJob extends Pick<ToolRunContext, 'remembered' | 'askApproval'> {
  writer: ReplyWriter;
  /** The messages before the one being written. */
  history: readonly Message[];
  /** As read when the reply was admitted. */
  session: SessionSummary;
  mode: ExecutionMode;
  maxTurns: number;
  toolTimeoutMs: number;
  signal: AbortSignal;
  /** The provider's model, resolved once for the reply. */
  model: Promise<ResolvedModel>;
  /** The model's view of the session: fits each prompt to the window. */
  context: ReplyContext;
}

export interface LoopServices {
  catalog: ToolCatalog;
  model: ModelSettings;
}

export class MaxTurnsReached extends Error {}

/**
 * The agent loop: run the tool calls still without a result, then ask the model, until it answers
 * without asking for tools. Starting from the message's own parts makes a reply resumable: after a
 * restart, a reply that waited for an approval picks up at its unfinished tool calls.
 */
export async function runAgentLoop(job: ReplyJob, services: LoopServices): Promise<void> {
  const { writer, signal } = job;
  const message = writer.message;
  let turns = countModelCalls(message);
  // Read once per reply: the tools offered, and the instructions of the running extensions.
  let offered: { tools: ExposedTool[]; instructions: ExtensionInstructions[] } | null = null;
  const offer = async () => (offered ??= job.mode === 'chat' ? { tools: [], instructions: [] } : await fromCatalog(services.catalog, job.session.id));

  for (;;) {
    const unfinished = message.parts.filter((part): part is ToolCallPart => part.type === 'tool_call' && part.result === null);
    if (unfinished.length > 0) {
      const byName = new Map((await offer()).tools.map((tool) => [tool.name, tool]));
      await runToolCalls(unfinished, {
        writer,
        tools: byName,
        mode: job.mode,
        workingDirectory: job.session.working_directory,
        signal,
        timeoutMs: job.toolTimeoutMs,
        remembered: job.remembered,
        askApproval: job.askApproval,
      });
      signal.throwIfAborted();
    } else if (turns > 0 && message.parts[message.parts.length - 1]?.type !== 'tool_call') {
      return;
    }
    if (turns >= job.maxTurns) throw new MaxTurnsReached(`The reply stopped after ${job.maxTurns} model calls (max_turns).`);

    const { tools: available, instructions } = await offer();
    const step = await modelCall(job, services, buildSystemPrompt(job.session, available, instructions), available.map(toFunctionTool));
    turns++;
    writer.addUsage(step.usage);
    job.context.recordUsage(step.usage);
    for (const call of step.toolCalls) await writer.addToolCall(call);
    if (step.toolCalls.length === 0) return;
  }
}

/**
 * One model call on a prompt fitted to the window. A refusal for length (the window was not known,
 * or goosed's count fell short) makes the window known; the call is tried once more, compacted.
 */
async function modelCall(job: ReplyJob, services: LoopServices, system: string, tools: LanguageModelV3FunctionTool[]): Promise<StepResult> {
  const resolved = await job.model;
  for (let force = false; ; force = true) {
    const prompt = await job.context.prompt({ resolved, system, tools, message: job.writer.message, force });
    try {
      return await runModelStep({
        ...services.model,
        resolved,
        prompt,
        tools,
        signal: job.signal,
        onText: (delta) => job.writer.appendText(delta),
        maxOutputTokens: job.context.maxOutputTokens(services.model.maxOutputTokens),
      });
    } catch (error) {
      if (job.signal.aborted || !(await job.context.refused(error))) throw error;
    }
  }
}

async function fromCatalog(catalog: ToolCatalog, sessionId: string): Promise<{ tools: ExposedTool[]; instructions: ExtensionInstructions[] }> {
  const tools = await catalog.tools(sessionId);
  return { tools, instructions: catalog.instructions(sessionId) };
}

/** Model calls so far: one per group of tool calls, plus one if text follows the last group. */
function countModelCalls(message: Message): number {
  let calls = 0;
  let previous: string | null = null;
  for (const part of message.parts) {
    if (part.type === 'tool_call' && previous !== 'tool_call') calls++;
    previous = part.type;
  }
  return previous === 'text' ? calls + 1 : calls;
}

/** No execute: the calls come back to the loop, which applies the execution mode and approvals. */
export function toFunctionTool(tool: ExposedTool): LanguageModelV3FunctionTool {
  return { type: 'function', name: tool.name, description: tool.description, inputSchema: tool.inputSchema as LanguageModelV3FunctionTool['inputSchema'] };
}
