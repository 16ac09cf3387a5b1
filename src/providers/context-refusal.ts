// A provider's refusal of a prompt for its length, recognised in each provider's own words, with
// the numbers it states: its window (`limit`) and what the prompt came to (`tokens`).

export interface ContextRefusal {
  limit: number | null;
  tokens: number | null;
}

interface Form {
  pattern: RegExp;
  /** Which capture group holds the limit, which the prompt's size. */
  limit?: number;
  tokens?: number;
}

const FORMS: Form[] = [
  // OpenAI (and vLLM, LM Studio, OpenRouter, which copy it): "This model's maximum context length
  // is 8192 tokens. However, your messages resulted in 8227 tokens." or "you requested 4295 tokens".
  { pattern: /maximum context length is (\d+) tokens?\.?(?:[^\d]*?(?:resulted in|requested) (\d+) tokens)?/i, limit: 1, tokens: 2 },
  // Anthropic: "prompt is too long: 208310 tokens > 200000 maximum".
  { pattern: /prompt is too long: (\d+) tokens > (\d+) maximum/i, tokens: 1, limit: 2 },
  // Gemini: "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576)."
  { pattern: /input token count \((\d+)\) exceeds the maximum number of tokens allowed \((\d+)\)/i, tokens: 1, limit: 2 },
  // Ollama (llama.cpp's server underneath): "request (351 tokens) exceeds the available context size (256 tokens)".
  { pattern: /request \((\d+) tokens\) exceeds the available context size \((\d+) tokens\)/i, tokens: 1, limit: 2 },
  // Forms that state no numbers.
  { pattern: /context_length_exceeded|exceed_context_size_error|prompt is too long|context length exceeded|exceeds (?:the )?context (?:length|window)|input length exceeds|too many (?:input )?tokens/i },
];

interface ErrorLike {
  statusCode?: unknown;
  message?: unknown;
  responseBody?: unknown;
  cause?: unknown;
}

/** The refusal in a failed call's error (an HTTP 400 or 413 whose text says so), else null. */
export function contextRefusalOf(error: unknown): ContextRefusal | null {
  const seen = new Set<unknown>();
  let current = error as ErrorLike | null | undefined;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const status = current.statusCode;
    if (status === 400 || status === 413) {
      const text = [current.message, current.responseBody].filter((part) => typeof part === 'string').join('\n');
      const refusal = readRefusal(text);
      if (refusal) return refusal;
    }
    current = current.cause as ErrorLike | null | undefined;
  }
  return null;
}

export function readRefusal(text: string): ContextRefusal | null {
  // A JSON body quotes the provider's message inside a string (Ollama nests one in another).
  const plain = text.replace(/\\+"/g, '"');
  for (const form of FORMS) {
    const match = form.pattern.exec(plain);
    if (!match) continue;
    const number = (group: number | undefined) => (group !== undefined && match[group] ? Number(match[group]) : null);
    return { limit: number(form.limit), tokens: number(form.tokens) };
  }
  return null;
}
