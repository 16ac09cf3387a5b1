/**
 * Event types with each run of consecutive `content_delta` shown once. goosed relays the text that
 * reached it together (one network read of the provider's stream) as one delta, so how many deltas
 * a burst of tokens becomes depends on timing; the order of everything else does not.
 */
export function mergeDeltaRuns(types: readonly string[]): string[] {
  return types.filter((type, index) => type !== 'content_delta' || types[index - 1] !== 'content_delta');
}
