// WebSocket frames generated from the client-frame schema the OpenAPI document names (its
// `x-websocket` entry), valid and broken, sent on real connections. After each frame a sentinel (a
// frame of an unknown type) proves the connection still answers, and collects the frame's answer.
import fc from 'fast-check';
import WebSocket from 'ws';
import { arbitraryForSchema, resolveRef, type JsonSchema, type SchemaContext } from './json-schema-arbitrary.js';
import { deepJson, hostileStringArbitrary, invalidUtf8 } from './hostile-values.js';
import { fuzzOverrides } from './safe-overrides.js';

type FrameMutation = 'valid' | 'wrong_field_type' | 'missing_field' | 'extra_fields' | 'unknown_type' | 'not_object' | 'not_json' | 'binary' | 'deep_nesting' | 'huge' | 'invalid_utf8';

interface FuzzFrame {
  mutation: FrameMutation;
  data: string | Buffer;
  binary: boolean;
}

export interface WsFuzzStats {
  sent: number;
  errorEvents: number;
  /** Closes the protocol demands (1007 invalid UTF-8, 1009 too big); the fuzzer reconnects. */
  protocolCloses: number;
  failures: { frame: string; problem: string }[];
}

/** Closes a fuzzer may cause on purpose; any other close is a failure. */
const PROTOCOL_CLOSES = new Set([1007, 1009]);

export interface WsFuzzOptions {
  port: number;
  frames: number;
  seed: number;
  sessionIds: readonly string[];
  workingDirectory: string;
  llmUrl: string;
}

export async function runWsFuzz(options: WsFuzzOptions): Promise<WsFuzzStats> {
  const document = await (await fetch(`http://127.0.0.1:${options.port}/api/openapi.json`)).json();
  const route = Object.values(document.paths as Record<string, JsonSchema>).map((item) => item.get).find((op) => op?.['x-websocket']);
  if (!route) throw new Error('the OpenAPI document has no x-websocket route');
  const context: SchemaContext = { components: document.components.schemas, override: fuzzOverrides(options) };
  const frames = fc.sample(frameArbitrary(route['x-websocket']['client-frames'], context), { numRuns: options.frames, seed: options.seed });
  const stats: WsFuzzStats = { sent: 0, errorEvents: 0, protocolCloses: 0, failures: [] };
  let connection: Connection | null = null;
  for (const [index, frame] of frames.entries()) {
    connection ??= await Connection.open(options.port, options.sessionIds[index % options.sessionIds.length]);
    const outcome = await connection.exchange(frame, index);
    stats.sent++;
    stats.errorEvents += outcome.errors;
    if (outcome.problem) stats.failures.push({ frame: describe(frame), problem: outcome.problem });
    if (outcome.closed !== null) {
      if (PROTOCOL_CLOSES.has(outcome.closed)) stats.protocolCloses++;
      else stats.failures.push({ frame: describe(frame), problem: `the server closed the connection with ${outcome.closed}` });
      connection = null;
    }
  }
  connection?.close();
  return stats;
}

class Connection {
  private readonly received: any[] = [];
  private closeCode: number | null = null;
  private waiters: (() => void)[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      let event: any;
      try {
        event = JSON.parse(data.toString());
      } catch {
        event = { type: '__not_json__', raw: data.toString().slice(0, 200), isBinary };
      }
      this.received.push(event);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => {});
  }

  static open(port: number, sessionId: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/sessions/${sessionId}/stream`);
      const connection = new Connection(ws);
      ws.once('open', () => resolve(connection));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Sends the frame, then a sentinel; resolves when the sentinel's error came back (or the socket closed). */
  async exchange(frame: FuzzFrame, index: number): Promise<{ errors: number; closed: number | null; problem: string | null }> {
    const start = this.received.length;
    const sentinel = `sentinel-${index}`;
    this.ws.send(frame.data, { binary: frame.binary });
    this.ws.send(JSON.stringify({ type: sentinel }));
    const answered = await this.until(() => this.closeCode !== null || this.received.slice(start).some((e) => e.type === 'error' && String(e.error).includes(sentinel)), 10_000);
    const answers = this.received.slice(start);
    const errors = answers.filter((e) => e.type === 'error' && !String(e.error).includes(sentinel));
    if (this.closeCode !== null) return { errors: errors.length, closed: this.closeCode, problem: null };
    if (!answered) return { errors: errors.length, closed: null, problem: 'no answer to the sentinel frame within 10 s' };
    const malformed = answers.find((e) => e.type === '__not_json__' || typeof e.type !== 'string');
    if (malformed) return { errors: errors.length, closed: null, problem: `the server sent a frame that is not an event: ${JSON.stringify(malformed)}` };
    const badError = errors.find((e) => typeof e.code !== 'string' || typeof e.error !== 'string');
    if (badError) return { errors: errors.length, closed: null, problem: `an error event without {error, code}: ${JSON.stringify(badError)}` };
    // A frame that is not a valid client frame must be answered with an error event, before the sentinel's.
    const mustBeRefused = frame.mutation !== 'valid' && frame.mutation !== 'extra_fields';
    if (mustBeRefused && errors.length === 0) return { errors: 0, closed: null, problem: `a ${frame.mutation} frame got no error event` };
    return { errors: errors.length, closed: null, problem: null };
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private async until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) return false;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return true;
  }
}

function frameArbitrary(schema: JsonSchema, context: SchemaContext): fc.Arbitrary<FuzzFrame> {
  const mutation = fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom<FrameMutation>('valid', 'valid', 'valid', 'wrong_field_type', 'wrong_field_type', 'missing_field', 'extra_fields', 'unknown_type', 'not_object', 'not_json', 'binary', 'invalid_utf8') },
    // Each costs megabytes or a deep parse: a few go a long way.
    { weight: 1, arbitrary: fc.constantFrom<FrameMutation>('huge', 'deep_nesting') },
  );
  return fc
    .record({ mutation, value: arbitraryForSchema(schema, context), junk: fc.jsonValue({ maxDepth: 2 }), hostile: hostileStringArbitrary, pick: fc.nat() })
    .map(({ mutation, value, junk, hostile, pick }) => {
      const frame = { ...(value as Record<string, unknown>) };
      const fields = Object.keys(frame).filter((key) => key !== 'type');
      const text = (data: string): FuzzFrame => ({ mutation, data, binary: false });
      switch (mutation) {
        case 'valid':
          return text(JSON.stringify(frame));
        case 'wrong_field_type': {
          const key = fields.length ? fields[pick % fields.length] : 'type';
          return text(JSON.stringify({ ...frame, [key]: typeof junk === typeof frame[key] || junk === null ? [junk] : junk }));
        }
        case 'missing_field': {
          // Frames without fields (cancel) lose their type instead.
          const key = fields.length ? fields[pick % fields.length] : 'type';
          delete frame[key];
          return { ...text(JSON.stringify(frame)), mutation: requiredFields(schema, context, frame.type).includes(key) || key === 'type' ? 'missing_field' : 'valid' };
        }
        case 'extra_fields':
          return text(JSON.stringify({ ...frame, extra: junk, __proto__x: hostile }));
        case 'unknown_type':
          return text(JSON.stringify({ ...frame, type: hostile.length ? hostile : 'MESSAGE' }));
        case 'not_object':
          return text(JSON.stringify(junk !== null && typeof junk === 'object' && !Array.isArray(junk) ? [junk] : junk));
        case 'not_json':
          return text(['', '{', '{"type":', 'null', "{'type':'cancel'}", hostile][pick % 6] || '{');
        case 'binary':
          return { mutation, data: Buffer.from(JSON.stringify(frame)), binary: true };
        case 'deep_nesting': {
          const nested = deepJson([100, 10_000, 100_000][pick % 3], pick % 2 ? 'array' : 'object');
          return text(pick % 4 < 2 ? nested : `{"type":${nested}}`);
        }
        case 'huge':
          return text(JSON.stringify({ ...frame, content: 'x'.repeat(5 * 1024 * 1024) }));
        case 'invalid_utf8': {
          const json = JSON.stringify({ ...frame, note: 'before-' });
          const at = json.indexOf('before-') + 7;
          return { mutation, data: Buffer.concat([Buffer.from(json.slice(0, at)), invalidUtf8[pick % invalidUtf8.length], Buffer.from(json.slice(at))]), binary: false };
        }
      }
    });
}

/** The required fields of the frame variant with this `type`, through the schema's discriminator. */
function requiredFields(schema: JsonSchema, context: SchemaContext, type: unknown): string[] {
  const ref = typeof type === 'string' ? resolveRef(schema, context).discriminator?.mapping?.[type] : undefined;
  return ref ? (resolveRef({ $ref: ref }, context).required ?? []) : [];
}

function describe(frame: FuzzFrame): string {
  const data = typeof frame.data === 'string' ? frame.data : frame.data.toString('latin1');
  return `${frame.mutation}${frame.binary ? ' (binary)' : ''}: ${data.length > 200 ? `${data.slice(0, 200)}… (${data.length} chars)` : data}`;
}
