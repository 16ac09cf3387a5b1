// The request body of a streamed OpenAI chat-completions call, built as the AI SDK's adapters build
// it (@ai-sdk/openai `.chat()` and @ai-sdk/openai-compatible): the same fields for the same call, so
// a provider sees no difference between goosed's own reader and the SDK's.
import { UnsupportedFunctionalityError, type LanguageModelV3CallOptions, type LanguageModelV3Prompt, type LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import { convertToBase64, secureJsonParse, stringifyWithBigIntAndCycles } from '@ai-sdk/provider-utils';

/** `openai`: api.openai.com's rules for reasoning models; `compatible`: any other server, sent as asked. */
export type OpenAiDialect = 'openai' | 'compatible';

export function openAiChatBody(modelId: string, dialect: OpenAiDialect, options: LanguageModelV3CallOptions): Record<string, unknown> {
  // o-series and gpt-5+ (not gpt-5-chat) take `developer` messages and max_completion_tokens, and
  // refuse sampling settings; the SDK drops those for them, as done here.
  const reasoning = dialect === 'openai' && isOpenAiReasoningModel(modelId);
  const { tools, toolChoice } = chatTools(options);
  return {
    model: modelId,
    max_tokens: reasoning ? undefined : options.maxOutputTokens,
    temperature: reasoning ? undefined : options.temperature,
    top_p: reasoning ? undefined : options.topP,
    frequency_penalty: reasoning ? undefined : options.frequencyPenalty,
    presence_penalty: reasoning ? undefined : options.presencePenalty,
    response_format: responseFormat(options),
    stop: options.stopSequences,
    seed: options.seed,
    max_completion_tokens: reasoning ? options.maxOutputTokens : undefined,
    messages: chatMessages(options.prompt, reasoning ? 'developer' : 'system', dialect),
    tools,
    tool_choice: toolChoice,
    stream: true,
    // The usage arrives in a last chunk only when asked for; every server goosed targets sends it.
    stream_options: { include_usage: true },
  };
}

/** What getOpenAILanguageModelCapabilities in @ai-sdk/openai calls a reasoning model. */
export function isOpenAiReasoningModel(modelId: string): boolean {
  if (/^o\d+(?:-|$)/.test(modelId)) return true;
  const gpt = /^gpt-(\d+)(?:\.(\d+))?(?:-(.+))?$/.exec(modelId);
  if (!gpt || Number(gpt[1]) < 5) return false;
  const chatVariant = gpt[2] === undefined && (gpt[3] ?? '').startsWith('chat');
  return !chatVariant;
}

function responseFormat(options: LanguageModelV3CallOptions): unknown {
  if (options.responseFormat?.type !== 'json') return undefined;
  // goosed asks for no structured output; the SDK's schema rewriting for OpenAI is not repeated here.
  if (options.responseFormat.schema !== undefined) throw new UnsupportedFunctionalityError({ functionality: 'a JSON schema response format' });
  return { type: 'json_object' };
}

function chatTools(options: LanguageModelV3CallOptions): { tools?: unknown[]; toolChoice?: unknown } {
  const functions = (options.tools ?? []).filter((tool) => tool.type === 'function');
  if (functions.length === 0) return {};
  const tools = functions.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema, ...(tool.strict != null ? { strict: tool.strict } : {}) },
  }));
  const choice = options.toolChoice;
  if (!choice) return { tools };
  if (choice.type === 'tool') return { tools, toolChoice: { type: 'function', function: { name: choice.toolName } } };
  return { tools, toolChoice: choice.type };
}

function chatMessages(prompt: LanguageModelV3Prompt, systemRole: 'system' | 'developer', dialect: OpenAiDialect): unknown[] {
  const messages: unknown[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: systemRole, content: message.content });
        break;
      case 'user': {
        const [only] = message.content;
        if (message.content.length === 1 && only.type === 'text') messages.push({ role: 'user', content: only.text });
        else messages.push({ role: 'user', content: message.content.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : imagePart(part))) });
        break;
      }
      case 'assistant': {
        let text = '';
        let reasoning = '';
        const toolCalls: unknown[] = [];
        for (const part of message.content) {
          if (part.type === 'text') text += part.text;
          else if (part.type === 'reasoning') reasoning += part.text;
          else if (part.type === 'tool-call') toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: toolCallArguments(part.input) } });
        }
        messages.push({
          role: 'assistant',
          content: toolCalls.length > 0 ? text || null : text,
          // Only the compatible servers (vLLM, DeepSeek and the like) take their reasoning back.
          ...(dialect === 'compatible' && reasoning ? { reasoning_content: reasoning } : {}),
          tool_calls: toolCalls.length > 0 ? toolCalls : undefined,
        });
        break;
      }
      case 'tool':
        for (const result of message.content) {
          if (result.type === 'tool-result') messages.push({ role: 'tool', tool_call_id: result.toolCallId, content: toolResultText(result.output) });
        }
        break;
    }
  }
  return messages;
}

function imagePart(part: { type: string; mediaType?: string; data?: unknown }): unknown {
  if (part.type !== 'file' || !part.mediaType?.startsWith('image/')) {
    throw new UnsupportedFunctionalityError({ functionality: `${part.type} part${part.mediaType ? ` of media type ${part.mediaType}` : ''} in a chat-completions prompt` });
  }
  const mediaType = part.mediaType === 'image/*' ? 'image/jpeg' : part.mediaType;
  const url = part.data instanceof URL ? part.data.toString() : `data:${mediaType};base64,${convertToBase64(part.data as string | Uint8Array)}`;
  return { type: 'image_url', image_url: { url } };
}

/** Arguments that are not a JSON object go out as `{}`, as the SDK sends them: the API refuses anything else. */
function toolCallArguments(input: unknown): string {
  if (typeof input === 'string') {
    try {
      const parsed = secureJsonParse(input);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? input : '{}';
    } catch {
      return '{}';
    }
  }
  return stringifyWithBigIntAndCycles(input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {});
}

function toolResultText(output: LanguageModelV3ToolResultPart['output']): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'execution-denied':
      return output.reason ?? 'Tool call execution denied.';
    default:
      return stringifyWithBigIntAndCycles(output.value);
  }
}
