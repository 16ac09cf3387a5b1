import { ClientFrame, clientFrameTypes } from '../../api/websocket.js';
import { jsonNestingExceeds } from '../middleware/json-depth-limit.js';

export type FrameReading = { frame: ClientFrame } | { refused: { code: string; error: string } };

const expectedTypes = [...clientFrameTypes].join(', ');
const invalid = (error: string): FrameReading => ({ refused: { code: 'invalid_frame', error } });

export interface FrameLimits {
  maxFrameBytes: number;
  /** Objects and arrays nested deeper than this are refused before JSON.parse sees them. */
  maxJsonDepth: number;
}

/**
 * Turns what a client sent into a client frame, or into the reason it was refused: a sentence
 * that names the problem (not JSON, binary, too large, too deep, unknown type, which field is wrong).
 */
export function readClientFrame(data: string | ArrayBufferLike | Blob, { maxFrameBytes, maxJsonDepth }: FrameLimits): FrameReading {
  if (typeof data !== 'string') return invalid('Binary frames are not accepted: send JSON as a text frame.');
  // length counts UTF-16 units, never more than the UTF-8 bytes: only long frames are measured.
  if (data.length > maxFrameBytes / 3 && Buffer.byteLength(data) > maxFrameBytes) {
    return { refused: { code: 'frame_too_large', error: `The frame is larger than ${maxFrameBytes} bytes.` } };
  }
  // As for HTTP bodies: deep nesting is cheap to send and dear to parse (and to store, once in a message).
  if (jsonNestingExceeds(data, maxJsonDepth)) {
    return { refused: { code: 'json_too_deep', error: `The frame is nested deeper than ${maxJsonDepth} levels.` } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return invalid('The frame is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as { type?: unknown }).type !== 'string') {
    return invalid(`A frame is a JSON object with a string "type" (one of ${expectedTypes}).`);
  }
  const type = (parsed as { type: string }).type;
  if (!clientFrameTypes.has(type)) return invalid(`Unknown frame type ${JSON.stringify(type.slice(0, 100))}; expected one of ${expectedTypes}.`);
  const result = ClientFrame.safeParse(parsed);
  if (result.success) return { frame: result.data };
  const problems = result.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`);
  return invalid(`Invalid ${type} frame: ${problems.join('; ')}.`);
}
