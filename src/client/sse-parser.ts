import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One dispatched Server-Sent Events frame. */
export interface SseFrame {
  /** The `id:` of this frame, or null when it had none. */
  id: string | null;
  event: string;
  data: string;
}

export interface SseHandlers {
  frame(frame: SseFrame): void;
  /** The server's `retry:` hint, in milliseconds. */
  retry?(milliseconds: number): void;
}

/**
 * An incremental parser of the `text/event-stream` format (eventsource-parser: the WHATWG rules, any
 * line ending, comments, multi-line data, `retry:`). Text goes in as it arrives; frames come out
 * whole, with the browser's defaults (`event` "message", `id` null when absent).
 */
export class SseParser {
  private readonly parser: EventSourceParser;
  private skipLineFeed = false;

  constructor(handlers: SseHandlers) {
    this.parser = createParser({
      onEvent: ({ id, event, data }) => handlers.frame({ id: id ?? null, event: event || 'message', data }),
      onRetry: (milliseconds) => handlers.retry?.(milliseconds),
    });
  }

  push(text: string): void {
    // eventsource-parser holds a chunk's final \r until it sees whether a \n follows; a browser's
    // EventSource ends the line at once. So do we: complete the \r\n now, and drop the \n the next
    // chunk may open with.
    const chunk = this.skipLineFeed && text.startsWith('\n') ? text.slice(1) : text;
    this.skipLineFeed = chunk.endsWith('\r');
    this.parser.feed(this.skipLineFeed ? `${chunk}\n` : chunk);
  }
}
