import type { ContextSummary } from '../../api/context.js';
import type { ModelSettings } from '../../config/server-options.js';
import type { RuntimeSettings } from '../../config/runtime-settings.js';
import type { ModelWindows } from '../../providers/model-windows.js';
import type { ResolvedModel } from '../../providers/provider-settings.js';
import { tokenCounterFor } from '../../providers/token-counter.js';
import type { Store } from '../../store/store.js';
import { PromptSize } from './prompt-size.js';
import { ReplyContext, type ContextServices, type OpenContext } from './reply-context.js';

export interface ContextManagerOptions {
  store: Pick<Store, 'listSummaries' | 'addSummary'>;
  windows: ModelWindows;
  settings: RuntimeSettings;
  model: ModelSettings;
}

/**
 * Context management (docs/context.md): what each model's window is, how full each session's
 * context is, and, through a ReplyContext per reply, the prompt that fits. What it keeps across
 * replies is in memory and may be lost: how the provider's counts compared with goosed's for a
 * session (the provider's next count corrects it), and the token counts of stored parts.
 */
export class ContextManager implements ContextServices {
  /** The provider's count of a prompt over goosed's, per session and model. */
  private readonly ratios = new Map<string, number>();
  private readonly sizes = new Map<string, PromptSize>();

  readonly windows: ModelWindows;
  readonly model: ModelSettings;

  constructor(private readonly options: ContextManagerOptions) {
    this.windows = options.windows;
    this.model = options.model;
  }

  /** The context of one reply: reads the session's latest summary. */
  async forReply(open: OpenContext): Promise<ReplyContext> {
    const summaries = await this.options.store.listSummaries(open.session.id);
    return new ReplyContext(this, open, summaries[summaries.length - 1] ?? null);
  }

  threshold(): number {
    return this.options.settings.get().compaction_threshold;
  }

  sizeFor(resolved: ResolvedModel): PromptSize {
    const key = `${resolved.provider}\u0000${resolved.modelId}`;
    let size = this.sizes.get(key);
    if (!size) {
      size = new PromptSize(tokenCounterFor(resolved.provider, resolved.modelId));
      this.sizes.set(key, size);
    }
    return size;
  }

  ratio(sessionId: string, resolved: ResolvedModel): number {
    return this.ratios.get(ratioKey(sessionId, resolved)) ?? 1;
  }

  setRatio(sessionId: string, resolved: ResolvedModel, reported: number, estimated: number): void {
    if (reported <= 0 || estimated <= 0) return;
    // Bounded: one odd count (a provider that reports cached tokens apart) must not swing it wildly.
    this.ratios.set(ratioKey(sessionId, resolved), Math.min(4, Math.max(0.25, reported / estimated)));
  }

  addSummary(summary: ContextSummary): Promise<void> {
    return this.options.store.addSummary(summary);
  }
}

const ratioKey = (sessionId: string, resolved: ResolvedModel) => `${sessionId}\u0000${resolved.provider}\u0000${resolved.modelId}`;
