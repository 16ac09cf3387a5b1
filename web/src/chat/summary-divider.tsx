import type { ContextSummary } from '../../../src/client/index.js';

/** Where the model's view begins: the messages above were summarised for it (the history keeps them). */
export function SummaryDivider({ summary }: { summary: ContextSummary }) {
  return (
    <details class="summary-divider">
      <summary>Earlier messages summarised</summary>
      <p class="muted small-text">
        The model now sees this summary instead of the messages above ({summary.tokens_before.toLocaleString()} → {summary.tokens_after.toLocaleString()} tokens).
      </p>
      <div class="summary-text">{summary.text}</div>
    </details>
  );
}
