import { InvalidConfig, NoProvider, NotFound } from '../api/domain-errors.js';
import { maskUrlSecrets } from '../api/secret-mask.js';
import type { ConfigureProviderRequest, CurrentProvider, ProviderSummary } from '../api/providers.js';
import { isProviderName, type ProviderName } from '../api/provider-names.js';
import { apiKeyFromEnvironment, configuredInEnvironment, getProviderInfo, providerCatalog, resolveProviderConnection, ProviderConfigError } from './catalog.js';
import { createLanguageModel, type ProviderLanguageModel } from './language-model.js';
import type { ProviderRecord, Store } from '../store/store.js';
import type { SharedV3ProviderOptions } from '@ai-sdk/provider';
import type { WindowedModel } from './model-windows.js';

const CURRENT_KEY = 'current_provider';

export interface ResolvedModel extends WindowedModel {
  model: ProviderLanguageModel;
  /** Kept only to scrub it out of error messages. */
  apiKey: string | undefined;
  /** Sent with every call: Ollama's num_ctx, when a context window is configured. */
  providerOptions?: SharedV3ProviderOptions;
}

export interface ProviderSettingsOptions {
  store: Pick<Store, 'providers' | 'getValue' | 'setValue'>;
  /** Provider keys and GOOSE_PROVIDER / GOOSE_MODEL are read from here. */
  env?: Record<string, string | undefined>;
}

/** What a session chose (SessionSummary's fields): null provider follows the current one; null model, the provider's own. */
export interface ProviderChoice {
  provider: ProviderName | null;
  model: string | null;
}

/** The current provider as configured: its name and model, and its stored row when it has one. */
interface CurrentSettings {
  current: CurrentProvider;
  stored: ProviderRecord | null;
}

/**
 * Which providers are configured and which one is current. Keys live in the store (owner-only
 * file) or the environment and never leave this class except into the provider client.
 */
export class ProviderSettings {
  private readonly store: ProviderSettingsOptions['store'];
  private readonly env: Record<string, string | undefined>;
  private cached: { signature: string; resolved: ResolvedModel } | null = null;

  constructor(options: ProviderSettingsOptions) {
    this.store = options.store;
    this.env = options.env ?? process.env;
  }

  /** Stored (set up through the API) or set up through the environment: what `configured` in list() says. */
  async isConfigured(name: ProviderName): Promise<boolean> {
    return configuredInEnvironment(name, this.env) || (await this.store.providers.get(name)) !== null;
  }

  async list(): Promise<ProviderSummary[]> {
    const [settings, records] = await Promise.all([this.currentSettings(), this.store.providers.list()]);
    const byName = new Map(records.map((record) => [record.name, record]));
    return providerCatalog.map((info) => {
      const stored = byName.get(info.name) ?? null;
      const envKey = apiKeyFromEnvironment(info.name, this.env);
      const key = stored?.api_key ?? envKey ?? null;
      const keySource = stored?.api_key ? 'stored' : envKey ? 'environment' : 'none';
      const baseUrl = stored?.base_url ?? (info.baseUrlEnv ? this.env[info.baseUrlEnv] ?? null : null);
      return {
        name: info.name,
        display_name: info.displayName,
        description: info.description,
        configured: stored !== null || configuredInEnvironment(info.name, this.env),
        current: settings?.current.name === info.name,
        model: this.modelOf(info.name, stored),
        base_url: shownUrl(baseUrl ?? info.defaultBaseUrl),
        api_key_hint: key ? maskKey(key) : null,
        api_key_source: keySource,
        api_key_env: [...info.apiKeyEnv],
        requires_api_key: info.requiresApiKey,
        requires_base_url: info.requiresBaseUrl,
        context_limit: stored?.context_limit ?? null,
        output_limit: stored?.output_limit ?? null,
      } satisfies ProviderSummary;
    });
  }

  /**
   * Stores the provider and makes it current; refuses what could never work (no key, no base URL).
   * A base URL sent back as GET showed it (credentials masked) keeps the stored one.
   */
  async configure(request: ConfigureProviderRequest): Promise<CurrentProvider> {
    const stored = await this.store.providers.get(request.name);
    const apiKey = request.api_key ?? stored?.api_key ?? undefined;
    const baseUrl = stored?.base_url && request.base_url === maskUrlSecrets(stored.base_url) ? stored.base_url : request.base_url;
    try {
      resolveProviderConnection(request.name, { apiKey, baseUrl }, this.env);
    } catch (error) {
      if (error instanceof ProviderConfigError) throw new InvalidConfig('invalid_provider', error.message);
      throw error;
    }
    await this.store.providers.save({
      name: request.name,
      api_key: apiKey ?? null,
      model: request.model,
      base_url: baseUrl ?? null,
      context_limit: request.context_limit ?? null,
      output_limit: request.output_limit ?? null,
      updated_at: new Date().toISOString(),
    });
    await this.store.setValue(CURRENT_KEY, request.name);
    this.cached = null;
    return (await this.current())!;
  }

  async delete(name: string): Promise<void> {
    if (!isProviderName(name)) throw new NotFound(`No provider named ${JSON.stringify(name)}.`);
    if (!(await this.store.providers.delete(name))) throw new NotFound(`The provider ${name} is not configured.`);
    if ((await this.store.getValue(CURRENT_KEY)) === name) await this.store.setValue(CURRENT_KEY, null);
    this.cached = null;
  }

  /** The stored current provider, else GOOSE_PROVIDER / GOOSE_MODEL from the environment. */
  async current(): Promise<CurrentProvider | null> {
    return (await this.currentSettings())?.current ?? null;
  }

  /**
   * The model to answer with, for a session's choice (by default the current provider and its
   * model), from one read of the settings; built once per configuration. NoProvider when there is
   * none, or when it cannot work as configured.
   */
  async resolve(choice: ProviderChoice = { provider: null, model: null }): Promise<ResolvedModel> {
    const settings = choice.provider ? await this.settingsOf(choice.provider) : await this.currentSettings();
    if (!settings) throw new NoProvider();
    const { current, stored } = settings;
    const modelId = choice.model ?? current.model;
    const apiKey = stored?.api_key ?? undefined;
    const baseUrl = stored?.base_url ?? undefined;
    // The limits stored with a provider apply to the model they were configured with.
    const ownRow = stored?.model === modelId ? stored : null;
    const configured = { context: ownRow?.context_limit ?? null, output: ownRow?.output_limit ?? null };
    const signature = JSON.stringify([current.name, modelId, apiKey, baseUrl, configured]);
    if (this.cached?.signature === signature) return this.cached.resolved;
    try {
      const connection = resolveProviderConnection(current.name, { apiKey, baseUrl }, this.env);
      if (!modelId) throw new ProviderConfigError(`${getProviderInfo(current.name).displayName} has no model to use: choose one for the session (model) or configure the provider with one.`);
      const model = await createLanguageModel({ name: current.name, model: modelId, apiKey, baseUrl }, this.env);
      // Ollama would otherwise cut a longer prompt silently to its own default window.
      const providerOptions = current.name === 'ollama' && configured.context !== null ? { ollama: { options: { num_ctx: configured.context } } } : undefined;
      const resolved: ResolvedModel = { provider: current.name, modelId, model, apiKey: connection.apiKey, configured, providerOptions };
      this.cached = { signature, resolved };
      return resolved;
    } catch (error) {
      if (error instanceof ProviderConfigError) throw new NoProvider(error.message);
      throw error;
    }
  }

  /**
   * A provider a session chose, current or not: its stored row gives key, base URL and model; else
   * the environment (GOOSE_MODEL when GOOSE_PROVIDER names it) and the catalog's default model.
   */
  private async settingsOf(name: ProviderName): Promise<CurrentSettings> {
    const stored = await this.store.providers.get(name);
    return { current: { name, model: this.modelOf(name, stored) ?? '', base_url: shownUrl(stored?.base_url ?? null) }, stored };
  }

  /** A provider's model: stored with it, else GOOSE_MODEL when GOOSE_PROVIDER names it, else the catalog's default. */
  private modelOf(name: ProviderName, stored: ProviderRecord | null): string | null {
    if (stored) return stored.model;
    const fromEnvironment = this.env.GOOSE_PROVIDER?.trim() === name ? this.env.GOOSE_MODEL?.trim() : undefined;
    return fromEnvironment || getProviderInfo(name).defaultModel;
  }

  private async currentSettings(): Promise<CurrentSettings | null> {
    const storedName = await this.store.getValue(CURRENT_KEY);
    if (storedName && isProviderName(storedName)) {
      const stored = await this.store.providers.get(storedName);
      if (stored) {
        const current = { name: stored.name, model: stored.model, base_url: shownUrl(stored.base_url) };
        return { current, stored };
      }
    }
    const envName = this.env.GOOSE_PROVIDER?.trim();
    if (envName && isProviderName(envName)) {
      const model = this.env.GOOSE_MODEL?.trim() || getProviderInfo(envName).defaultModel;
      // A stored row of that provider (not current any more) still gives its key and base URL.
      if (model) {
        const current = { name: envName, model, base_url: null };
        return { current, stored: await this.store.providers.get(envName) };
      }
    }
    return null;
  }
}

function shownUrl(url: string | null): string | null {
  return url === null ? null : maskUrlSecrets(url);
}

function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `****${key.slice(-4)}`;
}
