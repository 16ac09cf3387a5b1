// The environment of the processes goosed starts for tools: shell commands and stdio MCP servers.
// They get what a terminal of the goosed user would have, minus goosed's own variables and
// credentials, because whatever a command prints (`env`, a stack trace, a debug log) is stored,
// streamed to clients and sent to the provider. The user may pass chosen names through
// (`env_passthrough`), and an MCP server's configured `env` is given as configured. The pass-through
// list is a server setting, not an extension's config: one rule for every process goosed starts,
// read at each start, so a change applies to the next command or server without a restart.

/** goosed's own settings (GOOSED_SECRET_KEY among them) and the provider and model it was told to use. */
const GOOSED_OWN = /^(GOOSED_|GOOSE_(PROVIDER|MODEL)$)/i;
/**
 * Credentials by name: *_KEY (every key variable of the provider catalog, OPENAI_API_KEY and the
 * like; a test checks them all), *TOKEN, *SECRET, *PASSWORD, *_AUTH, ... in any case.
 */
const CREDENTIAL = /(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|APIKEY|(^|_)(KEY|AUTH))$/i;

/** The environment for one process; `explicit` (an MCP server's configured env) goes on top. */
export type ChildEnvironment = (explicit?: Record<string, string>) => Record<string, string>;

/** True for a variable that child processes do not get unless it is passed through. */
function isWithheld(name: string): boolean {
  return GOOSED_OWN.test(name) || CREDENTIAL.test(name);
}

/** `base` without the withheld variables, except those named in `passthrough`, plus `explicit`. */
export function childEnvironment(passthrough: readonly string[], explicit: Record<string, string> = {}, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const kept = new Set(passthrough);
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && (kept.has(name) || !isWithheld(name))) environment[name] = value;
  }
  return { ...environment, ...explicit };
}

/** For extensions made without settings (tests, tools): nothing passed through. */
export const withoutPassthrough: ChildEnvironment = (explicit) => childEnvironment([], explicit);
