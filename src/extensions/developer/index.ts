// The built-in `developer` extension: a shell (only when allowed) and a text editor, served in
// process as a ToolSource like any MCP extension.
import { z } from 'zod';
import { MaxOutputBytes } from '../capped-output.js';
import { BackgroundJobs } from './background-jobs.js';
import type { BuiltinTool } from './builtin-tool.js';
import { EditHistory } from './edit-history.js';
import { createShellTool } from './shell.js';
import { createTextEditorTools } from './text-editor.js';
import { withoutPassthrough, type ChildEnvironment } from '../child-environment.js';
import { errorResult, type ToolCallContext, type ToolDefinition, type ToolResult, type ToolSource } from '../tool.js';

export const DeveloperConfig = z.strictObject({
  allow_shell: z.boolean().default(false),
  shell_timeout_ms: z.number().int().positive().default(120_000),
  max_output_bytes: MaxOutputBytes,
  /** Between SIGTERM and SIGKILL when a command is stopped; small so that a cancel is prompt. */
  kill_grace_ms: z.number().int().min(0).default(1_000),
});
export type DeveloperConfig = z.input<typeof DeveloperConfig>;

/**
 * Throws (a zod error) when the config is invalid: configuration is checked at the edge.
 * `environment` gives each shell command its environment.
 */
export function createDeveloperExtension(config: DeveloperConfig = {}, environment: ChildEnvironment = withoutPassthrough): ToolSource {
  const settings = DeveloperConfig.parse(config);
  const history = new EditHistory();
  const backgroundJobs = new BackgroundJobs();
  const tools: BuiltinTool[] = [
    createShellTool({
      allowShell: settings.allow_shell,
      defaultTimeoutMs: settings.shell_timeout_ms,
      maxOutputBytes: settings.max_output_bytes,
      killGraceMs: settings.kill_grace_ms,
      backgroundJobs,
      environment,
    }),
    ...createTextEditorTools(history),
  ];
  const toolsByName = new Map(tools.map((tool) => [tool.definition.name, tool]));
  const definitions: ToolDefinition[] = tools.map((tool) => tool.definition);
  // The calls in progress: close() aborts them, so that closing the extension stops its commands.
  const running = new Map<AbortController, Promise<ToolResult>>();

  return {
    state: 'running',
    lastError: null,
    // The tool descriptions say all the model needs.
    instructions: null,
    async listTools() {
      return definitions;
    },
    async callTool(name: string, args: Record<string, unknown>, context: ToolCallContext): Promise<ToolResult> {
      const tool = toolsByName.get(name);
      if (!tool) return errorResult(`The developer extension has no tool named "${name}". Its tools are: ${[...toolsByName.keys()].join(', ')}.`);
      const call = new AbortController();
      const forwardAbort = () => call.abort(context.signal.reason);
      if (context.signal.aborted) forwardAbort();
      context.signal.addEventListener('abort', forwardAbort, { once: true });
      const result = tool.run(args ?? {}, { ...context, signal: call.signal });
      running.set(call, result);
      try {
        return await result;
      } finally {
        running.delete(call);
        context.signal.removeEventListener('abort', forwardAbort);
      }
    },
    /** Stops running commands and the background jobs of finished ones; resolves once they are dead. */
    async close() {
      for (const call of running.keys()) call.abort();
      await Promise.allSettled(running.values());
      await backgroundJobs.stopAll(settings.kill_grace_ms);
      history.clear();
    },
  };
}
