// Builds an AI SDK language model for one configured provider. Each provider package is imported
// on first use, so server start-up does not pay for loading five SDKs.
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { ProviderName } from '../api/provider-names.js';
import { resolveProviderConnection } from './catalog.js';

/** The provider-level model every adapter implements: the agent streams from its `doStream`. */
export type ProviderLanguageModel = LanguageModelV3;

export interface LanguageModelConfig {
  name: ProviderName;
  model: string;
  apiKey?: string;
  baseUrl?: string;
}

/**
 * Given key and base URL win over the environment (ANTHROPIC_API_KEY, OLLAMA_HOST, ...), which wins
 * over the catalog's defaults. Throws ProviderConfigError when a required setting is missing.
 * Retries are not decided here: the agent retries a failed call itself (see agent/model-step.ts).
 */
export async function createLanguageModel(
  config: LanguageModelConfig,
  env: Record<string, string | undefined> = process.env,
): Promise<ProviderLanguageModel> {
  const { apiKey, baseUrl } = resolveProviderConnection(config.name, config, env);
  switch (config.name) {
    case 'anthropic': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ apiKey, baseURL: baseUrl })(config.model);
    }
    // Chat completions, which every OpenAI-style gateway understands, streamed by goosed's own
    // reader (openai-chat-model.ts); the SDK's adapter answers the rare non-streamed call.
    case 'openai': {
      const { OpenAiChatModel } = await import('./openai-chat-model.js');
      return new OpenAiChatModel({
        dialect: 'openai', modelId: config.model, baseUrl, apiKey,
        sdkModel: async () => (await import('@ai-sdk/openai')).createOpenAI({ apiKey, baseURL: baseUrl }).chat(config.model),
      });
    }
    case 'openai_compatible': {
      const { OpenAiChatModel } = await import('./openai-chat-model.js');
      return new OpenAiChatModel({
        dialect: 'compatible', modelId: config.model, baseUrl, apiKey,
        // includeUsage asks for the final usage chunk (stream_options.include_usage), which
        // vLLM, LM Studio, OpenRouter and llama.cpp all send.
        sdkModel: async () => (await import('@ai-sdk/openai-compatible')).createOpenAICompatible({ name: 'openai_compatible', apiKey, baseURL: baseUrl, includeUsage: true }).chatModel(config.model),
      });
    }
    case 'ollama': {
      const { createOllama } = await import('ollama-ai-provider-v2');
      // Ollama itself needs no key; one given is sent as a bearer token for hosted or proxied Ollama.
      const headers = apiKey ? { Authorization: `Bearer ${apiKey}` } : undefined;
      return createOllama({ baseURL: baseUrl, headers })(config.model);
    }
    case 'google': {
      const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
      return createGoogleGenerativeAI({ apiKey, baseURL: baseUrl })(config.model);
    }
  }
}
