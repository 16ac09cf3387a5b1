import type { Logger } from 'pino';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { TieredStore } from '../store/tiered-store.js';
import { SessionService } from '../agent/session-service.js';
import { VERSION } from '../version.js';
import type { AppContext } from './app-context.js';
import type { SecurityPolicy } from './middleware/security-policy.js';

export interface ContextParts {
  store: TieredStore;
  settings: RuntimeSettings;
  logger: Logger;
  policy: () => SecurityPolicy;
  bodyLimitBytes: number;
}

/** Wires the services over a store and settings: the one place that knows how they fit. */
export function buildContext(parts: ContextParts): AppContext {
  return {
    ...parts,
    version: VERSION,
    sessions: new SessionService(parts.store, parts.settings),
  };
}
