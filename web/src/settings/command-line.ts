import { parse, quote } from 'shell-quote';

// An MCP server is often given as the one line its README shows (`npx -y @scope/server --flag`).
// goosed starts the program directly, without a shell, so the line is split here the way a shell
// would split it (quotes and backslashes respected) into the program and its arguments. Shell
// syntax that needs a shell to mean anything (pipes, redirections, `&&`) is refused, not dropped.

export interface CommandLine {
  program: string;
  args: string[];
}

/** Splits one command line; throws an Error that says what to change. */
export function splitCommandLine(line: string): CommandLine {
  // `$HOME` stays as written: no shell will expand it.
  const words: string[] = [];
  for (const entry of parse(line, (name) => `$${name}`)) {
    if (typeof entry === 'string') words.push(entry);
    else if ('op' in entry && entry.op === 'glob') words.push(entry.pattern);
    else if ('op' in entry) {
      throw new Error(`"${entry.op}" is shell syntax, and the command runs without a shell. Put it in a script, or start it as: sh -c "…"`);
    }
    // A comment (`# …`) ends the line, as in a shell.
  }
  if (words.length === 0) throw new Error('Give the command that starts the MCP server, e.g. npx -y @modelcontextprotocol/server-everything');
  const [program, ...args] = words;
  return { program, args };
}

/** The command line that splits back into this program and these arguments. */
export function joinCommandLine(program: string, args: readonly string[]): string {
  return quote([program, ...args]);
}
