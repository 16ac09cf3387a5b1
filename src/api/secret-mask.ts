// How the API shows a secret it holds: as a mask, which a client may send back to mean "keep the
// stored value". URLs (an extension's, a provider's base URL) carry secrets of their own: a
// password, a token as the user name, a key in the query.

/** What the API shows in place of a secret. */
export const SECRET_MASK = '********';

/** Query parameters that hold credentials (`key`, `api_key`, `apiKey`, `token`, `access_token`, `client_secret`, `sig` …). */
const SECRET_PARAM = /key|token|secret|password|passwd|auth|sig|credential/i;

/**
 * The URL with its credentials masked: the password (or a user name standing alone, the usual place
 * of a token) and the values of credential query parameters. Returned unchanged when it has none.
 */
export function maskUrlSecrets(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL this parser takes, but it may still carry `//user:password@`.
    return url.replace(/(\/\/[^/\s:@]*:)[^/\s@]+@/g, `$1${SECRET_MASK}@`);
  }
  let changed = false;
  if (parsed.password) {
    parsed.password = SECRET_MASK;
    changed = true;
  } else if (parsed.username) {
    parsed.username = SECRET_MASK;
    changed = true;
  }
  if (parsed.search) {
    const search = parsed.search.replace(/([?&])([^=&]*)=([^&]*)/g, (pair, separator: string, name: string) =>
      isSecretParam(name) ? `${separator}${name}=${SECRET_MASK}` : pair,
    );
    if (search !== parsed.search) {
      parsed.search = search;
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/** Every URL in a text, with its credentials masked (an error message that quotes one). */
export function maskUrlSecretsInText(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi, (url) => maskUrlSecrets(url));
}

/** A query parameter name that holds a credential (as it appears in a URL, encoded or not). */
export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(safeDecode(name));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
