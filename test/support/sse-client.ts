export interface SseFrame {
  id: string | null;
  event: string;
  data: any;
}

/**
 * Reads Server-Sent Events from a fetch response until `stop` says so (or the stream ends).
 * Returns the frames seen, comments excluded.
 */
export async function readSse(response: Response, stop: (frame: SseFrame, frames: SseFrame[]) => boolean = () => false, timeoutMs = 15_000): Promise<SseFrame[]> {
  if (!response.body) throw new Error('no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const frames: SseFrame[] = [];
  let buffer = '';
  const deadline = setTimeout(() => reader.cancel(new Error('SSE read timed out')).catch(() => {}), timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return frames;
      const searchFrom = Math.max(0, buffer.length - 1);
      buffer += decoder.decode(value, { stream: true });
      // Look for frame ends only in what just arrived (plus one char): big frames stay linear.
      let end = buffer.indexOf('\n\n', searchFrom);
      let start = 0;
      for (; end !== -1; end = buffer.indexOf('\n\n', start)) {
        const block = buffer.slice(start, end);
        start = end + 2;
        const frame = parseBlock(block);
        if (!frame) continue;
        frames.push(frame);
        if (stop(frame, frames)) {
          await reader.cancel().catch(() => {});
          return frames;
        }
      }
      buffer = buffer.slice(start);
    }
  } finally {
    clearTimeout(deadline);
  }
}

function parseBlock(block: string): SseFrame | null {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  return { id, event, data: JSON.parse(data.join('\n')) };
}

export const isReplyEnd = (frame: SseFrame) => frame.event === 'message_complete' || frame.event === 'error';
