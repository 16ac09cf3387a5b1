import { GoosedError } from './goosed-error.js';
import { SseParser } from './sse-parser.js';
import type { SessionEvent } from './types.js';

/**
 * The events of an SSE response, e.g. of `POST /api/sessions/{id}/messages/stream`, as they arrive.
 * Breaking out of the loop cancels the response body (the reply itself goes on on the server).
 */
export async function* readSessionEvents(response: Response): AsyncGenerator<SessionEvent, void, undefined> {
  if (!response.ok) throw await GoosedError.fromResponse(response);
  if (!response.body) return;
  const ready: SessionEvent[] = [];
  const parser = new SseParser({ frame: (frame) => ready.push(JSON.parse(frame.data) as SessionEvent) });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.push(decoder.decode(value, { stream: true }));
      for (const event of ready.splice(0)) yield event;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
