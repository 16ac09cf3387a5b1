// The soak's load: N sessions, each replying without pause (a tool round trip per reply), replaced
// by a fresh session every `rotateAfter` replies. It can be paused until nothing is in flight, so
// that goosed's descriptors can be counted at rest (in flight, each reply holds sockets and pipes).
import { SseParser, type SseFrame } from '../../src/client/sse-parser.js';

type Api = (path: string, method?: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

export class ReplyLoad {
  completed = 0;
  sessionsUsed = 0;
  /** Requests sent again after a network error (with the same Idempotency-Key). */
  networkRetries = 0;
  readonly failures: string[] = [];
  private inFlight = 0;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private drained: (() => void) | null = null;

  constructor(
    private readonly api: Api,
    private readonly options: { sessions: number; rotateAfter: number; keepGoing: () => boolean },
  ) {}

  run(): Promise<void> {
    return Promise.all(Array.from({ length: this.options.sessions }, (_, index) => this.worker(index))).then(() => {});
  }

  /** Resolves once every reply in flight has ended; no new one starts until `resume`. */
  pause(): Promise<void> {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => (this.drained = resolve));
  }

  resume(): void {
    this.openGate?.();
    this.gate = null;
  }

  private async worker(index: number): Promise<void> {
    while (this.options.keepGoing()) {
      const session = await (await this.api('/api/sessions', 'POST', { name: `soak ${index}`, execution_mode: 'auto' })).json();
      this.sessionsUsed++;
      for (let turn = 0; turn < this.options.rotateAfter && this.options.keepGoing(); turn++) {
        if (this.gate) await this.gate;
        this.inFlight++;
        const problem = await this.reply(index, session.id, `${session.id}-${turn}`);
        this.inFlight--;
        if (this.inFlight === 0) this.drained?.();
        if (problem) this.failures.push(`session ${session.id}: ${problem}`);
        else this.completed++;
      }
      await this.api(`/api/sessions/${session.id}`, 'DELETE');
    }
  }

  /**
   * One reply. Half the sessions wait for the whole reply, half read it as a stream. A request that
   * fails on the network (a keep-alive connection closed by the server just as it was reused) is
   * sent again with the same Idempotency-Key, as a careful client does: goosed answers with the
   * reply it already started, or starts it if the first request never arrived.
   */
  private async reply(index: number, sessionId: string, idempotencyKey: string): Promise<string | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await (index % 2 === 0 ? this.replyOnce(sessionId, idempotencyKey) : this.streamOnce(sessionId, idempotencyKey));
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        if (attempt >= 3) return `request failed ${attempt} times: ${String(error)} (${String(cause)})`;
        this.networkRetries++;
      }
    }
  }

  private async replyOnce(sessionId: string, idempotencyKey: string): Promise<string | null> {
    const response = await this.api(`/api/sessions/${sessionId}/messages`, 'POST', { content: 'run echo' }, { 'idempotency-key': idempotencyKey });
    if (response.status !== 200) return `answered ${response.status}: ${(await response.text()).slice(0, 200)}`;
    return checkReply(await response.json());
  }

  private async streamOnce(sessionId: string, idempotencyKey: string): Promise<string | null> {
    const response = await this.api(`/api/sessions/${sessionId}/messages/stream`, 'POST', { content: 'run echo' }, { 'idempotency-key': idempotencyKey });
    if (response.status !== 200) return `answered ${response.status}: ${(await response.text()).slice(0, 200)}`;
    const frames: SseFrame[] = [];
    new SseParser({ frame: (frame) => frames.push(frame) }).push(await response.text());
    const last = frames.at(-1);
    if (last?.event !== 'message_complete') return `the stream ended with: ${JSON.stringify(last).slice(0, 200)}`;
    return checkReply(JSON.parse(last.data).message);
  }
}

/** Complete, and the tool call ran and gave the model the echo's output. */
function checkReply(message: any): string | null {
  if (message.status !== 'complete') return `status ${message.status}: ${JSON.stringify(message.error)}`;
  const call = message.parts.find((part: any) => part.type === 'tool_call');
  if (call?.status !== 'done' || call.result?.content !== 'soak\n') return `tool call ${JSON.stringify(call)}`;
  return null;
}
