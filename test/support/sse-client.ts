export interface SseFrame {
  id: string | null;
  event: string;
  data: any;
}

/** A frame as it came over the wire: `data` is still text (the benchmarks time frames without parsing them). */
export interface SseTextFrame {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Splits a text/event-stream into frames as its text arrives: the reader of the tests (readSse) and
 * of the benchmarks (bench/support/sse-request.ts). goosed and the scripted LLM end lines with \n
 * only, so a frame ends at the first blank line; comments and frames without data are skipped.
 */
export class SseFrameSplitter {
  private buffer = '';

  /** Hands each frame this text completes to `onFrame`; returns false when `onFrame` did (the rest is dropped). */
  push(text: string, onFrame: (frame: SseTextFrame) => boolean | void): boolean {
    const searchFrom = Math.max(0, this.buffer.length - 1);
    this.buffer += text;
    // Look for frame ends only in what just arrived (plus one char): big frames stay linear.
    let start = 0;
    for (let end = this.buffer.indexOf('\n\n', searchFrom); end !== -1; end = this.buffer.indexOf('\n\n', start)) {
      const frame = parseBlock(this.buffer.slice(start, end));
      start = end + 2;
      if (frame && onFrame(frame) === false) {
        this.buffer = '';
        return false;
      }
    }
    this.buffer = this.buffer.slice(start);
    return true;
  }
}

/**
 * Reads Server-Sent Events from a fetch response until `stop` says so (or the stream ends).
 * Returns the frames seen, comments excluded.
 */
export async function readSse(response: Response, stop: (frame: SseFrame, frames: SseFrame[]) => boolean = () => false, timeoutMs = 15_000): Promise<SseFrame[]> {
  if (!response.body) throw new Error('no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const splitter = new SseFrameSplitter();
  const frames: SseFrame[] = [];
  const deadline = setTimeout(() => reader.cancel(new Error('SSE read timed out')).catch(() => {}), timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return frames;
      const reading = splitter.push(decoder.decode(value, { stream: true }), ({ id, event, data }) => {
        const frame: SseFrame = { id, event, data: JSON.parse(data) };
        frames.push(frame);
        return !stop(frame, frames);
      });
      if (!reading) {
        await reader.cancel().catch(() => {});
        return frames;
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}

function parseBlock(block: string): SseTextFrame | null {
  let id: string | null = null;
  let event = 'message';
  let data: string | null = null;
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data = data === null ? value : `${data}\n${value}`;
  }
  return data === null ? null : { id, event, data };
}

export const isReplyEnd = (frame: SseFrame) => frame.event === 'message_complete' || frame.event === 'error';
