import { z } from '@hono/zod-openapi';
import { providerNames } from './provider-names.js';
import { orNull } from './nullable.js';

export const ProviderName = z.enum(providerNames).openapi('ProviderName');

const tokenLimit = z.number().int().min(256).max(100_000_000);

export const ProviderSummary = z
  .object({
    name: ProviderName,
    display_name: z.string(),
    description: z.string(),
    configured: z.boolean().openapi({
      description: 'Set up through the API (stored), or through the environment: what it needs (a key, a base URL) is there and one of its variables (or GOOSE_PROVIDER) names it.',
    }),
    current: z.boolean(),
    model: z.string().nullable().openapi({ description: 'The model its replies use: the configured one, else GOOSE_MODEL when GOOSE_PROVIDER names this provider, else the default one.' }),
    base_url: z.string().nullable().openapi({ description: 'Credentials in it (a password, a token, a key in the query) are shown as `********`.' }),
    api_key_hint: z.string().nullable().openapi({ description: 'The last four characters of the key, never the key.' }),
    api_key_source: z.enum(['stored', 'environment', 'none']),
    api_key_env: z.array(z.string()),
    requires_api_key: z.boolean(),
    requires_base_url: z.boolean(),
    context_limit: orNull(z.number().int()).openapi({ description: "The configured context window of the model, in tokens; null follows goosed's catalogue of models." }),
    output_limit: orNull(z.number().int()).openapi({ description: 'The configured cap on tokens the model writes in one call; null follows the catalogue.' }),
  })
  .openapi('Provider');
export type ProviderSummary = z.infer<typeof ProviderSummary>;

export const ConfigureProviderRequest = z
  .strictObject({
    name: ProviderName,
    // Checked here: a key that cannot be sent in an HTTP header would be accepted, then fail every reply.
    api_key: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces (the key travels in an HTTP header)')
      .optional()
      .openapi({ description: 'Optional where the environment has one, or for ollama.' }),
    model: z.string().min(1).max(200),
    base_url: z
      .string()
      .url()
      .max(2048)
      .regex(/^https?:\/\//i, 'an http:// or https:// URL')
      .optional()
      .openapi({ description: 'The base URL as GET shows it (credentials masked) keeps the stored one.' }),
    context_limit: tokenLimit.optional().openapi({
      description: "The model's context window in tokens, where goosed's catalogue does not know the model or knows it wrong (a local model, a gateway). Without it goosed uses the catalogue, then what the provider's refusals state.",
    }),
    output_limit: tokenLimit.optional().openapi({ description: 'The most tokens the model may write in one call (caps max_output_tokens).' }),
  })
  .openapi('ConfigureProviderRequest');
export type ConfigureProviderRequest = z.infer<typeof ConfigureProviderRequest>;

export const CurrentProvider = z
  .object({
    name: ProviderName,
    model: z.string(),
    base_url: z.string().nullable().openapi({ description: 'Credentials in it are shown as `********`.' }),
  })
  .openapi('CurrentProvider');
export type CurrentProvider = z.infer<typeof CurrentProvider>;

export const ProviderNameParam = z.object({ name: z.string().max(100).openapi({ param: { name: 'name', in: 'path' } }) });
