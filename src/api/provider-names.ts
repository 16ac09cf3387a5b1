// The providers goosed knows, by name: a wire enum (api/providers.ts), a stored column (store/) and
// the key of the catalog (providers/catalog.ts) all take them from here.

export const providerNames = ['anthropic', 'openai', 'openai_compatible', 'ollama', 'google'] as const;
export type ProviderName = (typeof providerNames)[number];

export function isProviderName(value: string): value is ProviderName {
  return (providerNames as readonly string[]).includes(value);
}
