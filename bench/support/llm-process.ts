import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { trackChild } from './processes.js';
import type { LlmCommand, LlmReply, LlmTurnSpec } from './llm-child.js';

/** The parent's handle on the scripted LLM child process. */
export interface LlmProcess {
  url: string;
  pid: number;
  /** Every request from now on is answered with this turn. */
  serve(turn: LlmTurnSpec): Promise<void>;
  stop(): Promise<void>;
}

export async function startLlmProcess(): Promise<LlmProcess> {
  const child: ChildProcess = fork(join(import.meta.dirname, 'llm-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackChild(child);
  let onEarlyExit: (code: number | null) => void = () => {};
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the scripted LLM did not start within 20 s')), 20_000);
    onEarlyExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`the scripted LLM exited with ${code}`));
    };
    child.once('exit', onEarlyExit);
    child.on('message', (reply: LlmReply) => {
      if (reply.type === 'ready') {
        clearTimeout(timer);
        resolve(reply.url);
      }
    });
  });
  child.off('exit', onEarlyExit);
  let acks = 0;
  return {
    url,
    pid: child.pid!,
    serve: (turn) =>
      new Promise<void>((resolve) => {
        const ack = ++acks;
        const onReply = (reply: LlmReply) => {
          if (reply.type === 'ack' && reply.ack === ack) {
            child.off('message', onReply);
            resolve();
          }
        };
        child.on('message', onReply);
        child.send({ type: 'fallback', turn, ack } satisfies LlmCommand);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.disconnect();
      }),
  };
}
