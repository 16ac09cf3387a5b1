// Counting tokens of text the way a model family does. OpenAI's models get their real tokenizer
// (gpt-tokenizer: o200k_base, cl100k_base); other families get a documented estimate, since no
// well-kept tokenizer of theirs runs offline in JavaScript. See docs/context.md.
import type { ProviderName } from '../api/provider-names.js';

export interface TokenCounter {
  /** Tokens of `text`. */
  count(text: string): number;
  /** Which counting this is: a tokenizer's name, or `estimate`. */
  readonly kind: string;
}

/**
 * The estimate: four ASCII characters to a token (English prose and code run at 3.5 to 4.5 with
 * the common tokenizers), and one token for any other character (CJK, Hangul, emoji: about one
 * each; accented Latin and Cyrillic fewer, so the estimate errs high there, which is the safe side).
 */
export function estimateTokens(text: string): number {
  if (text.length <= SAMPLED_ABOVE) return Math.ceil(estimateRange(text, 0, text.length));
  // A long text (a 2 MB tool output) is read in evenly spread samples: the cost stays bounded.
  const step = text.length / SAMPLES;
  let sampled = 0;
  for (let i = 0; i < SAMPLES; i++) sampled += estimateRange(text, Math.floor(i * step), Math.floor(i * step) + SAMPLE_CHARS);
  return Math.ceil((sampled * text.length) / (SAMPLES * SAMPLE_CHARS));
}

const SAMPLED_ABOVE = 64 * 1024;
const SAMPLES = 16;
const SAMPLE_CHARS = 4096;

/** Most text is ASCII only: a regular expression tells so several times faster than a loop over it. */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function estimateRange(text: string, start: number, end: number): number {
  if (start === 0 && end === text.length && ASCII_ONLY.test(text)) return text.length / 4;
  let ascii = 0;
  let other = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) ascii++;
    // The second half of a surrogate pair is the same character.
    else if (code < 0xdc00 || code > 0xdfff) other++;
  }
  return ascii / 4 + other;
}

export const estimatingCounter: TokenCounter = { count: estimateTokens, kind: 'estimate' };

/** Past this many characters a text is estimated even where a tokenizer is loaded: its cost grows with it. */
const TOKENIZER_MAX_CHARS = 256 * 1024;

type Encoding = 'o200k_base' | 'cl100k_base';

/** The OpenAI tokenizer a model id names (a gateway's `openai/` prefix allowed), if any. */
export function openAiEncodingOf(provider: ProviderName, modelId: string): Encoding | null {
  if (provider !== 'openai' && provider !== 'openai_compatible') return null;
  const id = modelId.toLowerCase().replace(/^openai\//, '');
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|chatgpt-4o|o1|o3|o4|codex|gpt-oss)/.test(id)) return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5)/.test(id)) return 'cl100k_base';
  return null;
}

const loaded = new Map<Encoding, Promise<(text: string) => number>>();

function loadEncoding(encoding: Encoding): Promise<(text: string) => number> {
  let loading = loaded.get(encoding);
  if (!loading) {
    loading = (encoding === 'o200k_base' ? import('gpt-tokenizer/encoding/o200k_base') : import('gpt-tokenizer/encoding/cl100k_base')).then(
      (module) => module.countTokens,
    );
    loaded.set(encoding, loading);
  }
  return loading;
}

/**
 * The counter for a model. A tokenizer takes a second or more to load, so it loads in the
 * background: until it is there, the estimate counts (and the provider's own figure corrects it).
 */
export function tokenCounterFor(provider: ProviderName, modelId: string): TokenCounter {
  const encoding = openAiEncodingOf(provider, modelId);
  if (!encoding) return estimatingCounter;
  let countTokens: ((text: string) => number) | null = null;
  loadEncoding(encoding).then(
    (count) => (countTokens = count),
    () => {},
  );
  return {
    count: (text) => (countTokens && text.length <= TOKENIZER_MAX_CHARS ? countTokens(text) : estimateTokens(text)),
    get kind() {
      return countTokens ? encoding : 'estimate';
    },
  };
}
