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
 * An incremental parser of the `text/event-stream` format (the WHATWG rules: any line ending,
 * comments, multi-line data, `retry:`). Text goes in as it arrives; frames come out whole.
 */
export class SseParser {
  private buffer = '';
  private id: string | null = null;
  private event = '';
  private data: string[] = [];
  private pendingCarriageReturn = false;

  constructor(private readonly handlers: SseHandlers) {}

  push(text: string): void {
    let start = 0;
    let chunk = text;
    // A \r\n split across two chunks: the \n belongs to the line the \r already ended.
    if (this.pendingCarriageReturn && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCarriageReturn = false;
    for (let index = 0; index < chunk.length; index++) {
      const char = chunk.charCodeAt(index);
      if (char !== 10 && char !== 13) continue;
      this.line(this.buffer + chunk.slice(start, index));
      this.buffer = '';
      if (char === 13) {
        if (index + 1 === chunk.length) this.pendingCarriageReturn = true;
        else if (chunk.charCodeAt(index + 1) === 10) index++;
      }
      start = index + 1;
    }
    this.buffer += chunk.slice(start);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.handlers.retry?.(Number(value));
  }

  private dispatch(): void {
    const id = this.id;
    const event = this.event || 'message';
    const data = this.data;
    this.id = null;
    this.event = '';
    this.data = [];
    if (data.length === 0) return;
    this.handlers.frame({ id, event, data: data.join('\n') });
  }
}
