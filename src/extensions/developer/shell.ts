// The `shell` tool: off unless a person turned it on, because it lets the model run anything the
// goosed user can.
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { BackgroundJobs } from './background-jobs.js';
import { defineTool, type BuiltinTool } from './builtin-tool.js';
import { runCommand, type CommandOutcome } from './run-command.js';
import type { ChildEnvironment } from '../child-environment.js';
import { errorResult, type ToolResult } from '../tool.js';

export interface ShellToolOptions {
  allowShell: boolean;
  defaultTimeoutMs: number;
  maxOutputBytes: number;
  killGraceMs: number;
  /** Where the jobs a command leaves running in the background are held until the extension closes. */
  backgroundJobs: BackgroundJobs;
  /** Each command's environment: goosed's own variables and credentials withheld. */
  environment: ChildEnvironment;
}

export const SHELL_DISABLED_MESSAGE =
  'The shell tool is disabled for this extension, so the command was not run. ' +
  'Tell the user that a person can enable it by configuring the developer extension with ' +
  '{"name":"developer","config":{"allow_shell":true}}. Until then, use the file tools (view, create, str_replace, insert) instead.';

const ShellInput = z.object({
  command: z.string().min(1).describe('The command line to run, interpreted by bash (or sh when bash is missing).'),
  timeout_ms: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Stop the command after this many milliseconds. Defaults to the extension setting (2 minutes unless configured).'),
});

export function createShellTool(options: ShellToolOptions): BuiltinTool {
  return defineTool({
    name: 'shell',
    readOnly: false,
    input: ShellInput,
    description: [
      "Run a shell command in the session's working directory and return its output.",
      '- stdout and stderr are returned together; a non-zero exit code is reported and marks the result as an error.',
      `- Output longer than ${options.maxOutputBytes} bytes is cut in the middle: the beginning and the end are kept.`,
      '- stdin is closed: interactive commands (editors, pagers, prompts) cannot be used. Pass flags such as `--yes` or `-y`, and `| cat` for pagers.',
      '- Each call starts a fresh shell: `cd` and exported variables do not carry over; chain them, e.g. `cd sub && make`.',
      '- Commands that run longer than the timeout are stopped together with every process they started.',
      '- A job started in the background (`cmd > cmd.log 2>&1 &`, e.g. a dev server) keeps running after the call, until the extension or goosed stops. Redirect its output to a file: after the call, output to the shell\'s stdout is no longer read.',
      '- Prefer the `view`/`create`/`str_replace`/`insert` tools to read and edit files; use `rg` or `grep -rn` to search.',
    ].join('\n'),
    async run(input, context) {
      if (!options.allowShell) return errorResult(SHELL_DISABLED_MESSAGE);
      const workingDirectory = await stat(context.workingDirectory).catch(() => null);
      if (!workingDirectory?.isDirectory()) {
        return errorResult(`The working directory ${context.workingDirectory} does not exist, so the command was not run.`);
      }
      const timeoutMs = Math.min(input.timeout_ms ?? options.defaultTimeoutMs, context.timeoutMs);
      const outcome = await runCommand(input.command, {
        cwd: context.workingDirectory,
        timeoutMs,
        signal: context.signal,
        maxOutputBytes: options.maxOutputBytes,
        killGraceMs: options.killGraceMs,
        backgroundJobs: options.backgroundJobs,
        env: options.environment(),
      });
      return describeOutcome(outcome, timeoutMs);
    },
  });
}

function describeOutcome(outcome: CommandOutcome, timeoutMs: number): ToolResult {
  if (outcome.spawnError !== undefined) {
    return errorResult(`The shell could not be started: ${outcome.spawnError}`);
  }
  const output = outcome.output.length > 0 ? outcome.output : '(no output)';
  if (outcome.stoppedBecause === 'timeout') {
    return errorResult(`${output}\n[timed out after ${timeoutMs} ms: the command and every process it started were killed]`);
  }
  if (outcome.stoppedBecause === 'cancelled') {
    return errorResult(`${output}\n[cancelled: the command and every process it started were killed]`);
  }
  if (outcome.exitSignal !== null) {
    return errorResult(`${output}\n[killed by signal ${outcome.exitSignal}]`);
  }
  if (outcome.exitCode !== 0) {
    return errorResult(`${output}\n[exit code ${outcome.exitCode}]`);
  }
  return { content: output, isError: false };
}
