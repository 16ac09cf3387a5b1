// `view` runs without approval in smart_approval, so whatever path the model names must not hurt
// goosed: a FIFO (opening one blocks a thread-pool thread until a writer comes), a device that never
// ends (/dev/zero), a /proc file whose size says 0. goosed runs as its own process, so that a stalled
// thread pool or a memory balloon shows on it (and not on the test runner), and so that SIGTERM is real.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { apiClient, createSession, removeDirectory, temporaryDirectory, useScriptedProvider, waitFor, type ApiClient, type GoosedProcess } from './support/goosed.js';
import { buildGoosedBundle, spawnBundledGoosed, type GoosedBundle } from './support/goosed-bundle.js';
import { addExtension, streamReply } from './support/extensions.js';

const TEXT_FILE_CAP = 2 * 1024 * 1024;
/** goosed idles at about 100 MB; reading /dev/zero the old way took gigabytes. */
const PEAK_MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

let bundle: GoosedBundle;
let dir: string;
const goosedProcesses: GoosedProcess[] = [];
const llms: ScriptedLlm[] = [];

beforeAll(async () => {
  bundle = await buildGoosedBundle();
  dir = temporaryDirectory('goosed-special-files-');
});
afterAll(async () => {
  for (const goosed of goosedProcesses) if (goosed.child.exitCode === null && goosed.child.signalCode === null) goosed.child.kill('SIGKILL');
  await Promise.all(llms.map((llm) => llm.close()));
  bundle?.remove();
  removeDirectory(dir);
});

/** A goosed process with the developer extension, and a scripted LLM of its own (a failed test leaves turns queued). */
async function startGoosed(name: string): Promise<{ goosed: GoosedProcess; api: ApiClient; llm: ScriptedLlm }> {
  const llm = await startScriptedLlm();
  llms.push(llm);
  const goosed = await spawnBundledGoosed(bundle, ['--port', '0', '--data-dir', join(dir, name, 'data'), '--config', join(dir, name, 'config.yaml')]);
  goosedProcesses.push(goosed);
  const api = apiClient(goosed.url);
  await useScriptedProvider(api, llm.url);
  await addExtension(api, { name: 'developer', config: { allow_shell: true } });
  return { goosed, api, llm };
}

function views(paths: string[]) {
  return paths.map((path, index) => ({ id: `call_view_${index}`, name: 'developer__view', arguments: { path } }));
}

/** The most memory the process ever had resident (VmHWM), in bytes. */
function peakResidentBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM for ${pid}`);
  return Number(match[1]) * 1024;
}

describe('the text editor on files that are not regular files', () => {
  it('answers views of FIFOs with an error at once; tools, cancel and SIGTERM keep working', { timeout: 60_000 }, async () => {
    const { goosed, api, llm } = await startGoosed('fifos');
    const work = temporaryDirectory('goosed-fifos-');
    try {
      // More FIFOs than libuv has thread-pool threads (4): each blocked open would hold one.
      const fifos = Array.from({ length: 6 }, (_, i) => `pipe-${i}`);
      for (const fifo of fifos) execFileSync('mkfifo', [join(work, fifo)]);
      writeFileSync(join(work, 'notes.txt'), 'still readable\n');
      const session = await createSession(api, { working_directory: work, execution_mode: 'auto' });

      llm.enqueue({ toolCalls: views(fifos) }, { text: 'pipes seen' });
      const pipes = await streamReply(api, session.id, 'look at the pipes');
      for (const [index, fifo] of fifos.entries()) {
        expect(pipes.results.get(`call_view_${index}`), fifo).toMatchObject({ is_error: true, content: expect.stringMatching(/is a FIFO \(named pipe\), not a regular file/) });
      }
      expect(pipes.frames.at(-1)).toMatchObject({ event: 'message_complete', data: { message: { status: 'complete', content: 'pipes seen' } } });

      llm.enqueue(
        {
          toolCalls: [
            { id: 'call_shell', name: 'developer__shell', arguments: { command: 'echo alive' } },
            { id: 'call_read', name: 'developer__view', arguments: { path: 'notes.txt' } },
          ],
        },
        { text: 'still fine' },
      );
      const after = await streamReply(api, session.id, 'and now?');
      expect(after.results.get('call_shell')).toMatchObject({ is_error: false, content: 'alive\n' });
      expect(after.results.get('call_read')).toMatchObject({ is_error: false, content: expect.stringContaining('still readable') });

      // A cancel stops a running command and ends the reply.
      llm.enqueue({ toolCalls: [{ id: 'call_sleep', name: 'developer__shell', arguments: { command: 'touch sleeping; sleep 60' } }] });
      let cancel: Promise<Response> | undefined;
      const cancelled = await streamReply(api, session.id, 'sleep', (frame) => {
        if (frame.event !== 'tool_use') return;
        cancel = waitFor(() => existsSync(join(work, 'sleeping'))).then(() => api.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' }));
      });
      expect((await cancel!).status).toBe(200);
      expect(cancelled.frames.at(-1)).toMatchObject({ event: 'message_complete', data: { message: { status: 'cancelled' } } });

      goosed.child.kill('SIGTERM');
      expect(await goosed.exited).toBe(0);
    } finally {
      removeDirectory(work);
    }
  });

  it('refuses devices and reads a /proc file no further than the cap; memory stays flat', { timeout: 60_000 }, async () => {
    // /proc/kallsyms says its size is 0 and holds megabytes: only bytes actually read can bound it.
    expect(statSync('/proc/kallsyms').size).toBe(0);
    expect(readFileSync('/proc/kallsyms').length).toBeGreaterThan(TEXT_FILE_CAP);
    const { goosed, api, llm } = await startGoosed('devices');

    const devices = await createSession(api, { working_directory: '/dev', execution_mode: 'auto' });
    llm.enqueue({ toolCalls: views(['zero', 'null']) }, { text: 'devices seen' });
    const { results } = await streamReply(api, devices.id, 'look at the devices');
    for (const id of ['call_view_0', 'call_view_1']) {
      expect(results.get(id), id).toMatchObject({ is_error: true, content: expect.stringMatching(/is a character device, not a regular file/) });
    }

    const proc = await createSession(api, { working_directory: '/proc', execution_mode: 'auto' });
    llm.enqueue({ toolCalls: views(['kallsyms']) }, { text: 'symbols seen' });
    const kallsyms = (await streamReply(api, proc.id, 'look at the symbols')).results.get('call_view_0');
    expect(kallsyms).toMatchObject({ is_error: true, content: expect.stringContaining(`more than the ${TEXT_FILE_CAP}-byte limit`) });
    expect(kallsyms.content.length).toBeLessThan(1000);

    expect(peakResidentBytes(goosed.child.pid!)).toBeLessThan(PEAK_MEMORY_LIMIT_BYTES);
    goosed.child.kill('SIGTERM');
    expect(await goosed.exited).toBe(0);
  });
});
