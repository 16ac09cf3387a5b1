// What most tests of replies start from: the scripted LLM on a loopback port and a goosed that uses
// it as its provider, optionally with extensions and a temporary working directory for their tools.
import { startScriptedLlm, type ScriptedLlm } from './scripted-llm.js';
import { removeDirectory, startTestServer, temporaryDirectory, useScriptedProvider, type TestServer, type TestServerOptions } from './goosed.js';
import { addExtension } from './extensions.js';

/** The provider wire formats the scripted LLM speaks. */
export type ScriptedProviderName = NonNullable<Parameters<typeof useScriptedProvider>[2]>;

export interface ScriptedServerOptions extends TestServerOptions {
  /** The wire format goosed speaks to the scripted LLM (default openai). */
  provider?: ScriptedProviderName;
  /** Bodies of POST /api/extensions, added in this order once the provider is set. */
  extensions?: Record<string, unknown>[];
}

export interface ReplyHarnessOptions extends ScriptedServerOptions {
  /** Prefix of a temporary directory made for the sessions' tools; close() removes it. */
  workDirectoryPrefix?: string;
}

export interface ReplyHarness {
  llm: ScriptedLlm;
  goosed: TestServer;
  /** The temporary working directory; '' unless workDirectoryPrefix was given. */
  workDir: string;
  /** Stops goosed, then the scripted LLM, and removes the working directory. */
  close(): Promise<void>;
}

/** A goosed whose provider is an already running scripted LLM; closed again if configuring it fails. */
export async function startScriptedServer(llm: Pick<ScriptedLlm, 'url'>, options: ScriptedServerOptions = {}): Promise<TestServer> {
  const { provider, extensions = [], ...serverOptions } = options;
  const goosed = await startTestServer(serverOptions);
  try {
    await useScriptedProvider(goosed, llm.url, provider);
    for (const extension of extensions) await addExtension(goosed, extension);
  } catch (error) {
    await goosed.close();
    throw error;
  }
  return goosed;
}

/** The scripted LLM and a goosed configured to use it; a failed start leaves nothing running. */
export async function startReplyHarness(options: ReplyHarnessOptions = {}): Promise<ReplyHarness> {
  const { workDirectoryPrefix, ...serverOptions } = options;
  const llm = await startScriptedLlm();
  let goosed: TestServer;
  try {
    goosed = await startScriptedServer(llm, serverOptions);
  } catch (error) {
    await llm.close();
    throw error;
  }
  const workDir = workDirectoryPrefix === undefined ? '' : temporaryDirectory(workDirectoryPrefix);
  return {
    llm,
    goosed,
    workDir,
    close: async () => {
      await goosed.close();
      await llm.close();
      if (workDir) removeDirectory(workDir);
    },
  };
}
