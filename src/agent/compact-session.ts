import type { CompactResult } from '../api/context.js';
import type { SessionSummary } from '../api/sessions.js';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { EventLog } from '../events/event-log.js';
import type { ToolCatalog } from '../extensions/tool.js';
import type { ProviderSettings } from '../providers/provider-settings.js';
import type { Store } from '../store/store.js';
import { toFunctionTool } from './agent-loop.js';
import type { ContextManager } from './context/context-manager.js';
import { buildSystemPrompt } from './system-prompt.js';

export interface CompactDeps {
  store: Store;
  events: EventLog;
  providers: Pick<ProviderSettings, 'resolve'>;
  catalog: ToolCatalog;
  settings: RuntimeSettings;
  context: ContextManager;
}

/**
 * POST /compact's work, once the session's reply slot is held: the older conversation summarised
 * with the prompt a reply would send now (its system prompt and tools), and the session's context
 * usage updated and announced. Messages are never changed: a summary is added.
 */
export async function compactSession(deps: CompactDeps, session: SessionSummary, signal: AbortSignal): Promise<CompactResult> {
  const { store, events, catalog } = deps;
  const resolved = await deps.providers.resolve(session);
  const history = (await store.listMessages(session.id, {})).items;
  const context = await deps.context.forReply({ session, history, publish: (payload) => events.publish(session.id, payload), signal });
  const mode = session.execution_mode ?? deps.settings.get().execution_mode;
  const tools = mode === 'chat' ? [] : await catalog.tools(session.id);
  const system = buildSystemPrompt(session, tools, mode === 'chat' ? [] : catalog.instructions(session.id));
  const summary = await context.compactNow({ resolved, system, tools: tools.map(toFunctionTool) });
  const usage = context.usage() ?? session.context;
  const updated = await store.updateSession(session.id, { context: usage });
  if (updated) await events.publish(session.id, { type: 'session_updated', session: updated });
  return { summary, context: usage };
}
