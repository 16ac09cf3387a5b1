// How an extension's configuration is read from a request and shown back: its type when the client
// did not say, its secrets (header and env values, a URL's credentials) masked, and masked values in an
// update taken to mean "keep what is stored".
import type { ExtensionType } from '../api/extensions.js';
import { SECRET_MASK, maskUrlSecrets } from '../api/secret-mask.js';
import { ExtensionConfigError } from './extension-errors.js';

const BUILTIN_NAMES = new Set(['developer']);
/** Config keys whose values are maps of secrets (HTTP headers, environment variables). */
const SECRET_MAPS = ['headers', 'env'] as const;

/** An explicit type wins; else `command` means stdio, `url` streamable HTTP, a built-in name builtin. */
export function inferExtensionType(name: string, config: Record<string, unknown>, explicit?: ExtensionType): ExtensionType {
  if (explicit) return explicit;
  if (config.command !== undefined) return 'stdio';
  if (config.url !== undefined) return 'streamable_http';
  if (BUILTIN_NAMES.has(name)) return 'builtin';
  throw new ExtensionConfigError(
    `Cannot tell what kind of extension "${name}" is: give config.command (an MCP server over stdio), config.url (over streamable HTTP), or "type". Built-in extensions: ${[...BUILTIN_NAMES].join(', ')}.`,
  );
}

export function maskSecrets(config: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...config };
  for (const key of SECRET_MAPS) {
    const map = config[key];
    if (isPlainObject(map)) masked[key] = Object.fromEntries(Object.keys(map).map((name) => [name, SECRET_MASK]));
  }
  if (typeof config.url === 'string') masked.url = maskUrlSecrets(config.url);
  return masked;
}

/**
 * A client that edits what GET showed sends the masks back: each masked value becomes the stored
 * one. A mask with nothing stored behind it is refused rather than saved as a password.
 */
export function restoreSecrets(next: Record<string, unknown>, stored: Record<string, unknown>): Record<string, unknown> {
  const restored: Record<string, unknown> = { ...next };
  for (const key of SECRET_MAPS) {
    const map = next[key];
    if (!isPlainObject(map)) continue;
    const storedMap = isPlainObject(stored[key]) ? stored[key] : {};
    restored[key] = Object.fromEntries(
      Object.entries(map).map(([name, value]) => {
        if (value !== SECRET_MASK) return [name, value];
        if (!Object.hasOwn(storedMap, name)) {
          throw new ExtensionConfigError(`config.${key}.${name} is the mask ${SECRET_MASK} but no value is stored for it: send the real value.`);
        }
        return [name, storedMap[name]];
      }),
    );
  }
  if (typeof next.url === 'string' && typeof stored.url === 'string' && next.url === maskUrlSecrets(stored.url)) restored.url = stored.url;
  return restored;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
