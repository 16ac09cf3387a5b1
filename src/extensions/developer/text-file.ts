// Reading and writing text files for the editor tools (through descriptors open-inside.ts opened),
// and showing lines the way the model can cite them back.
import { readdir } from 'node:fs/promises';
import { abortable } from './abortable.js';
import { ToolInputError } from './builtin-tool.js';
import { readablePath, type OpenedFile } from './open-inside.js';

/** Larger files would flood the model's context; the shell (`head`, `grep`) handles those. */
export const MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024;
const MAX_DIRECTORY_ENTRIES = 1000;
/** A NUL byte here means the file is binary (the heuristic git and grep use). */
const BINARY_SNIFF_BYTES = 8000;
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * The file's text; clear errors for a directory, a too large or a binary file. The cap counts the
 * bytes actually read: a size of 0 (files in /proc) or one that grows while being read says nothing.
 */
export async function readText(file: OpenedFile, signal: AbortSignal): Promise<string> {
  if (file.info.isDirectory()) throw new ToolInputError(`${file.path} is a directory, not a file.`);
  if (file.info.size > MAX_TEXT_FILE_BYTES) throw tooLarge(file.path, file.info.size);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // One byte past the cap is enough to know the file is over it.
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, MAX_TEXT_FILE_BYTES + 1 - total));
    const { bytesRead } = await abortable(file.handle.read(chunk, 0, chunk.length, total), signal);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > MAX_TEXT_FILE_BYTES) throw tooLarge(file.path);
  }
  const bytes = Buffer.concat(chunks, total);
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    throw new ToolInputError(`${file.path} looks like a binary file (${bytes.length} bytes); only text files can be viewed or edited.`);
  }
  return bytes.toString('utf8');
}

/** Replaces the whole content of the file, in place (its owner, mode and hard links stay). */
export async function writeText(file: OpenedFile, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  await file.handle.truncate(0);
  for (let written = 0; written < bytes.length; ) {
    const { bytesWritten } = await file.handle.write(bytes, written, bytes.length - written, written);
    written += bytesWritten;
  }
}

/** `size` when fstat knew it; else the reading went past the cap. */
function tooLarge(filePath: string, size?: number): ToolInputError {
  const what = size === undefined ? 'holds' : `is ${size} bytes,`;
  return new ToolInputError(
    `${filePath} ${what} more than the ${MAX_TEXT_FILE_BYTES}-byte limit of the file tools. Use the shell (e.g. head, tail, grep, sed) for large files.`,
  );
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

/** Entries of an opened directory, sorted, directories marked with a trailing `/`. */
export async function listDirectory(directory: OpenedFile, signal: AbortSignal): Promise<string> {
  const entries = await abortable(readdir(readablePath(directory), { withFileTypes: true }), signal);
  const names = entries.map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name)).sort();
  const shown = names.slice(0, MAX_DIRECTORY_ENTRIES);
  const more = names.length - shown.length;
  const header = `Directory ${directory.path} (${names.length} entries):`;
  const footer = more > 0 ? `\n[... ${more} more entries not shown]` : '';
  return names.length === 0 ? `Directory ${directory.path} is empty.` : `${header}\n${shown.join('\n')}${footer}`;
}
