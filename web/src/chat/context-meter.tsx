import { useState } from 'preact/hooks';
import type { SessionSummary } from '../../../src/client/index.js';
import { describeError } from '../lib/api.js';
import { compactSession } from './chat-actions.js';

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/**
 * How full the model's context is (as of the last model call), and a button that summarises the
 * older conversation now. Without a known window it shows the count alone.
 */
export function ContextMeter({ session, onError }: { session: SessionSummary; onError: (message: string | null) => void }) {
  const [compacting, setCompacting] = useState(false);
  const { tokens, limit } = session.context;
  const share = limit ? Math.min(1, tokens / limit) : null;
  const label = limit ? `${compact.format(tokens)} of ${compact.format(limit)} tokens` : `${compact.format(tokens)} tokens`;
  const run = async () => {
    onError(null);
    setCompacting(true);
    try {
      await compactSession(session.id);
    } catch (error) {
      onError(describeError(error));
    } finally {
      setCompacting(false);
    }
  };
  return (
    <span class="context-meter">
      <span class="muted small-text" title="How much of the model's context window the conversation fills, as of the last model call">
        Context {label}
      </span>
      {share !== null && (
        <meter min={0} max={1} low={0.6} high={0.8} optimum={0} value={share} aria-label={`Context ${Math.round(share * 100)}% full`} />
      )}
      <button type="button" class="button small" onClick={run} disabled={compacting || session.status !== 'idle'} title="Summarise the older messages for the model now (the history keeps them)">
        {compacting ? 'Compacting…' : 'Compact'}
      </button>
    </span>
  );
}
