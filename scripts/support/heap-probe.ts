// The live JavaScript heap of a process started with --inspect, measured after a full garbage
// collection through the inspector protocol. Resident memory also counts what the allocator keeps
// after a peak; the heap after collection is what grows when something is retained for good.
import WebSocket from 'ws';

export interface HeapProbe {
  /** Collects garbage in the process, then reads its heap in use, in MiB. */
  heapAfterGcMiB(): Promise<number>;
  /** The same, with the memory of Buffers and other array buffers (outside the heap) beside it. */
  memoryAfterGcMiB(): Promise<{ heapMiB: number; arrayBuffersMiB: number }>;
  close(): void;
}

/** `stderr` is the process's output so far: node prints `Debugger listening on ws://…` there. */
export async function connectHeapProbe(stderr: () => string, timeoutMs = 10_000): Promise<HeapProbe> {
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!(url = /Debugger listening on (ws:\/\/\S+)/.exec(stderr())?.[1])) {
    if (Date.now() > deadline) throw new Error('the process printed no inspector address (start it with --inspect=127.0.0.1:0)');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let nextId = 1;
  const pending = new Map<number, (result: any) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<any>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  const memoryAfterGcMiB = async () => {
    await call('HeapProfiler.collectGarbage');
    const result = await call('Runtime.evaluate', { expression: '(({ heapUsed, arrayBuffers }) => ({ heapUsed, arrayBuffers }))(process.memoryUsage())', returnByValue: true });
    return { heapMiB: mib(result.result.value.heapUsed), arrayBuffersMiB: mib(result.result.value.arrayBuffers) };
  };
  return {
    heapAfterGcMiB: async () => (await memoryAfterGcMiB()).heapMiB,
    memoryAfterGcMiB,
    close: () => ws.close(),
  };
}
