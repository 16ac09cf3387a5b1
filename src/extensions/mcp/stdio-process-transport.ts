// MCP over stdio, like the SDK's StdioClientTransport, with three differences that matter for an
// agent server: the server runs in its own process group (stopping it also stops what it forked,
// e.g. `npx` → node), the tail of its stderr is kept to explain a failure, and its exit is reported
// as an error that says how it ended. Loaded lazily, with the rest of the MCP code.
import { spawn, type ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { processGroupIsAlive, terminateProcessGroup, trackProcessGroup } from '../process-group.js';

export interface StdioProcessOptions {
  command: string;
  args: string[];
  /** The server's whole environment (from childEnvironment: goosed's own secrets withheld). */
  env: Record<string, string>;
  cwd?: string;
  /** How long a server may take to exit after stdin is closed, and after SIGTERM. */
  stopGraceMs: number;
}

const STDERR_TAIL_CHARS = 2000;
/** After the server exited, how long its last output may take to be read before the pipes are dropped. */
const PIPE_DRAIN_MS = 200;

export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #options: StdioProcessOptions;
  readonly #readBuffer = new ReadBuffer();
  #child: ChildProcess | undefined;
  #closed: Promise<void> = Promise.resolve();
  #stopping = false;
  #stderrTail = '';

  constructor(options: StdioProcessOptions) {
    this.#options = options;
  }

  /** The end of what the server wrote to stderr: usually why it failed. */
  get stderrTail(): string {
    return this.#stderrTail.trim();
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.#options.command, this.#options.args, {
        cwd: this.#options.cwd,
        env: this.#options.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      this.#child = child;
      let forgetGroup = (): void => {};
      child.once('spawn', () => {
        if (child.pid !== undefined) forgetGroup = trackProcessGroup(child.pid);
        resolve();
      });
      child.once('error', (error) => {
        // `npx -y some-server` pasted whole into command is a program name with spaces in it.
        const oneWord = (error as NodeJS.ErrnoException).code === 'ENOENT' && /\s/.test(this.#options.command);
        const hint = oneWord ? ' (command is one program; give its arguments in args)' : '';
        reject(new Error(`could not start ${this.#options.command}: ${error.message}${hint}`));
        this.onerror?.(error);
        // The spawn error says it all; the 'close' that follows must not add "exited with code null".
        if (child.pid === undefined) this.#stopping = true;
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => this.#receive(chunk));
      child.stderr?.on('data', (chunk: Buffer) => {
        this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
      });
      let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
      let pipesClosed = false;
      child.once('exit', async (code, signal) => {
        exit = { code, signal };
        if (child.pid === undefined) return;
        // The server is gone; whatever it left running in its group must not outlive it...
        await terminateProcessGroup(child.pid, this.#options.stopGraceMs);
        // ...nor keep its stdout open (a process that left the group could): 'close' must come.
        await new Promise((done) => setTimeout(done, PIPE_DRAIN_MS));
        if (!pipesClosed) {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }
      });
      this.#closed = new Promise((closed) => {
        child.once('close', () => {
          pipesClosed = true;
          forgetGroup();
          if (!this.#stopping) this.onerror?.(new Error(this.#describeExit(exit.code, exit.signal)));
          this.onclose?.();
          closed();
        });
      });
    });
  }

  #receive(chunk: Buffer): void {
    try {
      this.#readBuffer.append(chunk);
    } catch (error) {
      // Only when one line outgrows the buffer limit: the stream cannot be trusted any more.
      this.onerror?.(error as Error);
      void this.close();
      return;
    }
    for (;;) {
      try {
        const message = this.#readBuffer.readMessage();
        if (message === null) break;
        this.onmessage?.(message);
      } catch (error) {
        // A line that is not JSON-RPC (a server logging to stdout): reported and skipped.
        this.onerror?.(new Error(`unreadable line from the server's stdout: ${(error as Error).message}`));
      }
    }
    // Every line is read: what the SDK's buffer holds now is an empty slice of the last message's
    // bytes, which would keep a big tool result in memory until the server next writes.
    if (chunk[chunk.length - 1] === 0x0a) this.#readBuffer.clear();
  }

  #describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    const stderr = this.stderrTail;
    return `the server process ${how}${stderr ? `; its stderr ended with: ${stderr}` : ''}`;
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = this.#child;
      const stdin = child?.stdin;
      if (!child || !stdin || !stdin.writable || child.exitCode !== null || child.signalCode !== null) {
        reject(new Error('the server process is not running'));
        return;
      }
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Closes stdin (the polite way to stop a stdio server), then SIGTERM, then SIGKILL, to the whole group. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child || child.pid === undefined) return;
    if (this.#stopping) return this.#closed;
    this.#stopping = true;
    child.stdin?.end();
    const graceMs = this.#options.stopGraceMs;
    if (child.exitCode === null && child.signalCode === null) {
      await Promise.race([this.#closed, new Promise((done) => setTimeout(done, graceMs))]);
    }
    if (processGroupIsAlive(child.pid)) await terminateProcessGroup(child.pid, graceMs);
    // A process that left the group could still hold the pipes open; stop waiting for it.
    child.stdout?.destroy();
    child.stderr?.destroy();
    await this.#closed;
    this.#readBuffer.clear();
  }
}
