// The scripted LLM in its own process, so the provider's pacing is not disturbed by the clients
// the benchmark runs (or the other way round). The parent sets the fallback turn over IPC.
import { startScriptedLlm, type ScriptedTurn } from '../../test/support/scripted-llm.js';
import { sharedClockMs } from './stats.js';

export interface LlmTurnSpec {
  tokens: number;
  chunkDelayMs: number;
  /**
   * Each token is the time it is due to be written, on the shared clock ("1795…123.456 "), so a
   * client can tell how long the token took to reach it. Due time: when the frame is generated,
   * plus the pause the scripted server takes before writing it.
   */
  stamped: boolean;
}

export type LlmCommand = { type: 'fallback'; turn: LlmTurnSpec; ack: number };
export type LlmReply = { type: 'ready'; url: string } | { type: 'ack'; ack: number };

function stampedPieces(count: number, delayMs: number): string[] {
  const target = new Array<string>(count).fill('');
  // Read lazily by the frame generator, right before each frame's pause and write.
  return new Proxy(target, {
    get(array, property, receiver) {
      if (typeof property === 'string' && /^\d+$/.test(property)) {
        const index = Number(property);
        return `${(sharedClockMs() + (index > 0 ? delayMs : 0)).toFixed(3)} `;
      }
      return Reflect.get(array, property, receiver);
    },
  });
}

function turnFor(spec: LlmTurnSpec): () => ScriptedTurn {
  const plain = Array.from({ length: spec.tokens }, (_, i) => `tok${i} `);
  return () => ({
    text: spec.stamped ? stampedPieces(spec.tokens, spec.chunkDelayMs) : plain,
    chunkDelayMs: spec.chunkDelayMs,
    usage: { input: 10, output: spec.tokens },
  });
}

const llm = await startScriptedLlm();
process.on('message', (command: LlmCommand) => {
  if (command.type === 'fallback') {
    llm.setFallback(turnFor(command.turn));
    process.send!({ type: 'ack', ack: command.ack } satisfies LlmReply);
  }
});
process.on('disconnect', () => void llm.close().then(() => process.exit(0)));
process.send!({ type: 'ready', url: llm.url } satisfies LlmReply);
