import { GoosedError } from '../../../src/client/index.js';

/** A failure as the page tells it: a sentence that says what to click, and where, when a page helps. */
export interface PageError {
  text: string;
  code?: string;
  link?: { href: string; label: string };
}

const toProvider = { href: '#/providers', label: 'Open Provider' };

// The API's messages are written for API users ("POST /api/providers with {…}"); for these codes
// the page says what to do in the page instead. Other codes keep the server's sentence.
const pageSentences: Record<string, (message: string) => Omit<PageError, 'code'>> = {
  no_provider: () => ({ text: 'No model provider is ready yet: choose one and its model on the Provider page.', link: toProvider }),
  provider_auth_failed: (message) => ({ text: message, link: toProvider }),
  provider_not_found: (message) => ({ text: message, link: toProvider }),
  extension_exists: () => ({ text: 'An extension with this name exists already: change it with its Edit button in the list, or choose another name.' }),
  session_busy: () => ({ text: 'A reply is running in this session: wait for it, stop it, or send your message when it finishes.' }),
  invalid_working_directory: (message) => ({ text: message.replace(/^working_directory/, 'The working directory') }),
  max_turns_reached: (message) => ({ text: message, link: { href: '#/settings', label: 'Open Settings' } }),
};

export function pageErrorOf(code: string, message: string): PageError {
  const sentence = pageSentences[code];
  return { code, ...(sentence ? sentence(message) : { text: message }) };
}

export function pageError(error: unknown): PageError {
  if (error instanceof GoosedError) return pageErrorOf(error.code, error.message);
  // fetch() itself failed (each browser words it its own way): nothing answered.
  if (error instanceof TypeError && /fetch|network|load failed/i.test(error.message)) {
    return { text: 'The server did not answer. Is goosed still running? Try again once it is.' };
  }
  return { text: error instanceof Error ? error.message : String(error) };
}
