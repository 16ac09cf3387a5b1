// The providers goosed knows, and how a provider's key and base URL are found. No AI SDK import
// here: routes and config read this at start-up, and the SDK packages load only when a model is built.
import type { ProviderName } from '../api/provider-names.js';

export interface ProviderInfo {
  name: ProviderName;
  displayName: string;
  description: string;
  /** Environment variables that may hold the API key, in order of preference. */
  apiKeyEnv: readonly string[];
  /** Environment variable that may hold the base URL, when the ecosystem has a usual one. */
  baseUrlEnv: string | null;
  requiresApiKey: boolean;
  requiresBaseUrl: boolean;
  /** Null where no model is a sensible guess (an OpenAI-compatible server serves whatever it loaded). */
  defaultModel: string | null;
  /** Null where the user must say where the server is. */
  defaultBaseUrl: string | null;
}

export const providerCatalog: readonly ProviderInfo[] = [
  {
    name: 'anthropic',
    displayName: 'Anthropic',
    description: 'Claude models through the Anthropic Messages API.',
    apiKeyEnv: ['ANTHROPIC_API_KEY'],
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    requiresApiKey: true,
    requiresBaseUrl: false,
    defaultModel: 'claude-sonnet-4-5',
    defaultBaseUrl: 'https://api.anthropic.com/v1',
  },
  {
    name: 'openai',
    displayName: 'OpenAI',
    description: 'GPT models through the OpenAI Chat Completions API.',
    apiKeyEnv: ['OPENAI_API_KEY'],
    baseUrlEnv: 'OPENAI_BASE_URL',
    requiresApiKey: true,
    requiresBaseUrl: false,
    defaultModel: 'gpt-4o',
    defaultBaseUrl: 'https://api.openai.com/v1',
  },
  {
    name: 'openai_compatible',
    displayName: 'OpenAI-compatible',
    description: 'Any server speaking OpenAI chat completions at a base URL: vLLM, LM Studio, OpenRouter, llama.cpp.',
    apiKeyEnv: ['OPENAI_COMPATIBLE_API_KEY'],
    baseUrlEnv: 'OPENAI_COMPATIBLE_BASE_URL',
    requiresApiKey: false,
    requiresBaseUrl: true,
    defaultModel: null,
    defaultBaseUrl: null,
  },
  {
    name: 'ollama',
    displayName: 'Ollama',
    description: 'Local models served by Ollama.',
    apiKeyEnv: [],
    baseUrlEnv: 'OLLAMA_HOST',
    requiresApiKey: false,
    requiresBaseUrl: false,
    defaultModel: 'qwen2.5',
    defaultBaseUrl: 'http://localhost:11434',
  },
  {
    name: 'google',
    displayName: 'Google Gemini',
    description: 'Gemini models through the Google Generative Language API.',
    apiKeyEnv: ['GOOGLE_GENERATIVE_AI_API_KEY', 'GEMINI_API_KEY'],
    baseUrlEnv: null,
    requiresApiKey: true,
    requiresBaseUrl: false,
    defaultModel: 'gemini-2.5-flash',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  },
];

export function getProviderInfo(name: ProviderName): ProviderInfo {
  const info = providerCatalog.find((provider) => provider.name === name);
  if (!info) throw new Error(`Unknown provider ${JSON.stringify(name)}.`);
  return info;
}

/** A provider cannot be used as configured: a required key or base URL is missing or malformed. */
export class ProviderConfigError extends Error {
  readonly code = 'provider_not_configured';
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigError';
  }
}

type Environment = Record<string, string | undefined>;

export function apiKeyFromEnvironment(name: ProviderName, env: Environment = process.env): string | undefined {
  for (const variable of getProviderInfo(name).apiKeyEnv) {
    const value = env[variable]?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * Set up through the environment alone: what the provider requires is there, and one of its own
 * variables (or GOOSE_PROVIDER) names it. Ollama needs nothing, so only OLLAMA_HOST or
 * GOOSE_PROVIDER=ollama say it was set up; its default address alone does not.
 */
export function configuredInEnvironment(name: ProviderName, env: Environment = process.env): boolean {
  const info = getProviderInfo(name);
  const apiKey = apiKeyFromEnvironment(name, env);
  const baseUrl = info.baseUrlEnv ? env[info.baseUrlEnv]?.trim() : undefined;
  if ((info.requiresApiKey && !apiKey) || (info.requiresBaseUrl && !baseUrl)) return false;
  return Boolean(apiKey || baseUrl || env.GOOSE_PROVIDER?.trim() === name);
}

export interface ProviderConnection {
  apiKey: string | undefined;
  /** In the form the AI SDK package expects (Anthropic with `/v1`, Ollama with `/api`). */
  baseUrl: string;
}

/**
 * Settles the key and base URL of a provider: what was given wins over the environment, the
 * environment over the catalog's default. Throws ProviderConfigError when something required is missing.
 */
export function resolveProviderConnection(
  name: ProviderName,
  given: { apiKey?: string; baseUrl?: string } = {},
  env: Environment = process.env,
): ProviderConnection {
  const info = getProviderInfo(name);
  const apiKey = given.apiKey?.trim() || apiKeyFromEnvironment(name, env);
  if (info.requiresApiKey && !apiKey) {
    const where = info.apiKeyEnv.length ? ` or set ${info.apiKeyEnv.join(' or ')}` : '';
    throw new ProviderConfigError(`${info.displayName} needs an API key: give api_key${where}.`);
  }
  const rawBaseUrl = given.baseUrl?.trim() || (info.baseUrlEnv ? env[info.baseUrlEnv]?.trim() : undefined) || info.defaultBaseUrl;
  if (!rawBaseUrl) {
    const where = info.baseUrlEnv ? ` or set ${info.baseUrlEnv}` : '';
    throw new ProviderConfigError(`${info.displayName} needs a base URL: give base_url${where}.`);
  }
  return { apiKey: apiKey || undefined, baseUrl: normaliseBaseUrl(name, rawBaseUrl) };
}

/**
 * Each ecosystem writes base URLs its own way; the AI SDK packages want one form each:
 * - Ollama: OLLAMA_HOST is often `host:port` with no scheme; the SDK wants `.../api`.
 * - Anthropic: the official SDK's ANTHROPIC_BASE_URL has no `/v1`, the AI SDK's does. A bare origin
 *   gets `/v1`; a URL with a path (a gateway) is taken as written.
 */
export function normaliseBaseUrl(name: ProviderName, raw: string): string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim());
  const url = parseUrl(name === 'ollama' && !hasScheme ? `http://${raw.trim()}` : raw.trim(), raw);
  if (name === 'ollama' && !hasScheme && url.port === '') url.port = '11434';
  const path = url.pathname.replace(/\/+$/, '');
  let suffix = '';
  if (name === 'ollama' && !path.endsWith('/api')) suffix = '/api';
  if (name === 'anthropic' && path === '') suffix = '/v1';
  url.pathname = path + suffix;
  return url.href.replace(/\/+$/, '');
}

function parseUrl(text: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProviderConfigError(`The base URL ${JSON.stringify(raw)} is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProviderConfigError(`The base URL ${JSON.stringify(raw)} must start with http:// or https://.`);
  }
  return url;
}
