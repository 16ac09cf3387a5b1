// Reading text files for the editor tools, and showing lines the way the model can cite them back.
import { readFile, readdir, stat } from 'node:fs/promises';
import { ToolInputError } from './builtin-tool.js';

/** Larger files would flood the model's context; the shell (`head`, `grep`) handles those. */
export const MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024;
const MAX_DIRECTORY_ENTRIES = 1000;
/** A NUL byte here means the file is binary (the heuristic git and grep use). */
const BINARY_SNIFF_BYTES = 8000;

/** The file's text; clear errors for a missing, directory, too large or binary file. */
export async function readTextFile(filePath: string): Promise<string> {
  const info = await stat(filePath).catch(() => null);
  if (info === null) throw new ToolInputError(`File not found: ${filePath}. Use the create tool to make a new file.`);
  if (info.isDirectory()) throw new ToolInputError(`${filePath} is a directory, not a file.`);
  if (info.size > MAX_TEXT_FILE_BYTES) {
    throw new ToolInputError(
      `${filePath} is ${info.size} bytes, more than the ${MAX_TEXT_FILE_BYTES}-byte limit of the file tools. ` +
        'Use the shell (e.g. head, tail, grep, sed) for large files.',
    );
  }
  const bytes = await readFile(filePath);
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    throw new ToolInputError(`${filePath} looks like a binary file (${bytes.length} bytes); only text files can be viewed or edited.`);
  }
  return bytes.toString('utf8');
}

/** The current text of a file about to be overwritten, or null when it does not exist yet. */
export async function readTextFileIfExists(filePath: string): Promise<string | null> {
  const exists = await stat(filePath).then(
    () => true,
    () => false,
  );
  return exists ? readTextFile(filePath) : null;
}

/** Lines without their newline; a final newline does not start another (empty) line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `     7\tcontent` for each line, numbered from `firstLineNumber` (1-based). */
export function numberLines(lines: string[], firstLineNumber: number): string {
  return lines.map((line, index) => `${String(firstLineNumber + index).padStart(6)}\t${line}`).join('\n');
}

/** Lines `first`..`last` (1-based) of `text` with a few lines of context, numbered, to confirm an edit. */
export function snippetAround(text: string, first: number, last: number, contextLines = 3): string {
  const lines = splitLines(text);
  const start = Math.max(1, first - contextLines);
  const end = Math.min(lines.length, last + contextLines);
  return numberLines(lines.slice(start - 1, end), start);
}

/** The 1-based line on which the character at `offset` sits. */
export function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

/** Entries of a directory, sorted, directories marked with a trailing `/`. */
export async function listDirectory(directoryPath: string): Promise<string> {
  const entries = await readdir(directoryPath, { withFileTypes: true });
  const names = entries.map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name)).sort();
  const shown = names.slice(0, MAX_DIRECTORY_ENTRIES);
  const more = names.length - shown.length;
  const header = `Directory ${directoryPath} (${names.length} entries):`;
  const footer = more > 0 ? `\n[... ${more} more entries not shown]` : '';
  return names.length === 0 ? `Directory ${directoryPath} is empty.` : `${header}\n${shown.join('\n')}${footer}`;
}
