import { SseParser } from '../../src/client/sse-parser.js';

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
  let stopped = false;
  const parser = new SseParser({
    frame: ({ id, event, data }) => {
      if (stopped) return; // the rest of a chunk after the frame that said stop
      const frame: SseFrame = { id, event, data: JSON.parse(data) };
      frames.push(frame);
      stopped = stop(frame, frames);
    },
  });
  const deadline = setTimeout(() => reader.cancel(new Error('SSE read timed out')).catch(() => {}), timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return frames;
      parser.push(decoder.decode(value, { stream: true }));
      if (stopped) {
        await reader.cancel().catch(() => {});
        return frames;
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}

export const isReplyEnd = (frame: SseFrame) => frame.event === 'message_complete' || frame.event === 'error';
