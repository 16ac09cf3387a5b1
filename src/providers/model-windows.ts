import type { ProviderName } from '../api/provider-names.js';
import type { Store } from '../store/store.js';
import { catalogueWindow } from './model-catalogue.js';

/** A model's context window and output cap, in tokens; null where nothing says. */
export interface ModelWindow {
  context: number | null;
  output: number | null;
}

/** What the window of one model is looked up by. */
export interface WindowedModel {
  provider: ProviderName;
  modelId: string;
  /** `context_limit` and `output_limit` as configured on the provider (POST /api/providers). */
  configured: ModelWindow;
}

/**
 * Ollama answers with the window it loaded the model with (`num_ctx`), 4096 tokens by default
 * (more on machines with much GPU memory), whatever the model could take; goosed sends the
 * configured `context_limit` as num_ctx, and assumes the default without one.
 */
export const OLLAMA_DEFAULT_WINDOW = 4096;

const learnedKey = (model: WindowedModel) => `learned_context_limit:${model.provider}:${model.modelId}`;

/**
 * Each model's window: the configured one, else the one a refusal of the provider stated (learned
 * and remembered in the store), else the catalogue's. A configured window larger than a learned
 * one gives way: the provider's refusal is the fact.
 */
export class ModelWindows {
  private readonly learned = new Map<string, Promise<number | null>>();

  constructor(private readonly store: Pick<Store, 'getValue' | 'setValue'>) {}

  async of(model: WindowedModel): Promise<ModelWindow> {
    const learned = await this.learnedLimit(model);
    const { configured } = model;
    const catalogue = configured.context === null || configured.output === null ? await catalogueWindow(model.provider, model.modelId) : null;
    const known = [configured.context, learned].filter((limit): limit is number => limit !== null);
    const fallback = catalogue?.context ?? (model.provider === 'ollama' ? OLLAMA_DEFAULT_WINDOW : null);
    return {
      context: known.length > 0 ? Math.min(...known) : fallback,
      output: configured.output ?? catalogue?.output ?? null,
    };
  }

  /** Remembers the window a provider's refusal stated for this model (across restarts too). */
  async learn(model: WindowedModel, limit: number): Promise<void> {
    this.learned.set(learnedKey(model), Promise.resolve(limit));
    await this.store.setValue(learnedKey(model), String(limit));
  }

  private learnedLimit(model: WindowedModel): Promise<number | null> {
    const key = learnedKey(model);
    let limit = this.learned.get(key);
    if (!limit) {
      limit = this.store.getValue(key).then((value) => (value === null ? null : Number(value) || null));
      this.learned.set(key, limit);
    }
    return limit;
  }
}
