// The text editor tools: view, create, str_replace, insert, undo. Every path goes through
// resolvePathInside (real path, then containment) before anything touches the disk, and every file
// through withFileInside (opened so that the checked path cannot be swapped, regular files only).
import { z } from 'zod';
import { defineTool, ToolInputError, type BuiltinTool } from './builtin-tool.js';
import { textResult } from '../tool.js';
import type { EditHistory } from './edit-history.js';
import { resolvePathInside } from './file-paths.js';
import { removeInside, withFileInside } from './open-inside.js';
import { lineNumberAt, listDirectory, numberLines, readText, snippetAround, splitLines, writeText } from './text-file.js';

const PathArgument = z
  .string()
  .describe('Path of the file, absolute or relative to the working directory. It must be inside the working directory.');

export function createTextEditorTools(history: EditHistory): BuiltinTool[] {
  const view = defineTool({
    name: 'view',
    readOnly: true,
    description: [
      'Show a text file with numbered lines, or list the entries of a directory.',
      '- Use view_range to read part of a long file: [start, end], 1-based and inclusive; end -1 means to the end of the file.',
      '- Line numbers are for your reference only: they are not part of the file. Do not include them in old_str.',
      '- Always view a file before editing it, so that old_str can be copied exactly.',
    ].join('\n'),
    input: z.object({
      path: PathArgument,
      view_range: z
        .array(z.number().int())
        .length(2)
        .optional()
        .describe('[start_line, end_line], 1-based and inclusive; end_line -1 reads to the end.'),
    }),
    async run(input, { workingDirectory, signal }) {
      const target = await resolvePathInside(workingDirectory, input.path);
      return withFileInside(target, 'read', signal, async (file) => {
        if (file.info.isDirectory()) return textResult(await listDirectory(file, signal));
        const lines = splitLines(await readText(file, signal));
        if (lines.length === 0) return textResult(`${file.path} is empty.`);
        const [start, end] = checkViewRange(input.view_range, lines.length);
        const header = start === 1 && end === lines.length ? `${file.path} (${lines.length} lines):` : `${file.path}, lines ${start}-${end} of ${lines.length}:`;
        return textResult(`${header}\n${numberLines(lines.slice(start - 1, end), start)}`);
      });
    },
  });

  const create = defineTool({
    name: 'create',
    readOnly: false,
    description: [
      'Create a file with the given content, creating missing parent directories.',
      '- An existing file is overwritten completely (undo can restore it). To change part of a file, use str_replace or insert instead.',
    ].join('\n'),
    input: z.object({ path: PathArgument, file_text: z.string().describe('The complete content of the file.') }),
    async run(input, { workingDirectory, signal }) {
      const target = await resolvePathInside(workingDirectory, input.path);
      return withFileInside(target, 'create', signal, async (file) => {
        const previous = file.created ? null : await readText(file, signal);
        await writeText(file, input.file_text);
        history.record(file.path, previous);
        const lineCount = splitLines(input.file_text).length;
        return textResult(previous === null ? `Created ${file.path} (${lineCount} lines).` : `Overwrote ${file.path} (${lineCount} lines); undo restores the previous content.`);
      });
    },
  });

  const strReplace = defineTool({
    name: 'str_replace',
    readOnly: false,
    description: [
      'Replace one exact occurrence of old_str with new_str in a file.',
      '- old_str must match EXACTLY ONCE, character for character, including whitespace and indentation. If it matches zero or several times, nothing is changed: view the file and include more surrounding lines to make it unique.',
      '- new_str may be empty to delete old_str.',
    ].join('\n'),
    input: z.object({
      path: PathArgument,
      old_str: z.string().min(1).describe('The exact text to replace; must occur exactly once in the file.'),
      new_str: z.string().describe('The replacement text.'),
    }),
    async run(input, { workingDirectory, signal }) {
      const target = await resolvePathInside(workingDirectory, input.path);
      return withFileInside(target, 'edit', signal, async (file) => {
        const text = await readText(file, signal);
        const updated = replaceOnce(text, input.old_str, input.new_str, file.path);
        await writeText(file, updated.text);
        history.record(file.path, text);
        const firstLine = lineNumberAt(updated.text, updated.offset);
        const lastLine = firstLine + Math.max(0, splitLines(input.new_str).length - 1);
        return textResult(`Edited ${file.path}. The changed region now reads:\n${snippetAround(updated.text, firstLine, lastLine)}`);
      });
    },
  });

  const insert = defineTool({
    name: 'insert',
    readOnly: false,
    description: 'Insert text after a given line of a file (insert_line 0 inserts at the top). The file must already exist; use create for a new file.',
    input: z.object({
      path: PathArgument,
      insert_line: z.number().int().min(0).describe('Insert after this 1-based line number; 0 inserts before the first line.'),
      new_str: z.string().describe('The text to insert; it becomes one or more whole lines.'),
    }),
    async run(input, { workingDirectory, signal }) {
      const target = await resolvePathInside(workingDirectory, input.path);
      return withFileInside(target, 'edit', signal, async (file) => {
        const text = await readText(file, signal);
        const lines = splitLines(text);
        if (input.insert_line > lines.length) {
          throw new ToolInputError(`insert_line ${input.insert_line} is past the end of ${file.path}, which has ${lines.length} lines (use 0 to ${lines.length}).`);
        }
        const inserted = splitLines(input.new_str);
        if (inserted.length === 0) inserted.push('');
        const updatedLines = [...lines.slice(0, input.insert_line), ...inserted, ...lines.slice(input.insert_line)];
        // Keep the file's own convention for a final newline (an empty file gets one).
        const endsWithNewline = text === '' || text.endsWith('\n');
        const updated = updatedLines.join('\n') + (endsWithNewline ? '\n' : '');
        await writeText(file, updated);
        history.record(file.path, text);
        const first = input.insert_line + 1;
        return textResult(`Inserted ${inserted.length} line(s) into ${file.path}. The region now reads:\n${snippetAround(updated, first, first + inserted.length - 1)}`);
      });
    },
  });

  const undo = defineTool({
    name: 'undo',
    readOnly: false,
    description: 'Revert the most recent create, str_replace or insert made to a file by these tools. Repeat to go further back.',
    input: z.object({ path: PathArgument }),
    async run(input, { workingDirectory, signal }) {
      const target = await resolvePathInside(workingDirectory, input.path);
      const previous = history.takeLatest(target.path);
      if (previous === undefined) throw new ToolInputError(`There is no edit of ${target.path} to undo.`);
      if (previous === null) {
        await removeInside(target);
        return textResult(`Removed ${target.path}: it did not exist before it was created.`);
      }
      await withFileInside(target, 'create', signal, (file) => writeText(file, previous));
      return textResult(`Reverted the last edit of ${target.path}.`);
    },
  });

  return [view, create, strReplace, insert, undo];
}

/** `text` with the one occurrence of `search` replaced; a ToolInputError when there is none or several. */
function replaceOnce(text: string, search: string, replacement: string, filePath: string): { text: string; offset: number } {
  const occurrences = countOccurrences(text, search);
  if (occurrences === 0) {
    throw new ToolInputError(`No change made: old_str was not found in ${filePath}. It must match exactly, including whitespace and indentation; view the file to copy the text.`);
  }
  if (occurrences > 1) {
    throw new ToolInputError(`No change made: old_str matches ${occurrences} times in ${filePath}. Include more surrounding lines so that it matches exactly once.`);
  }
  const offset = text.indexOf(search);
  // Spliced by hand: String.replace would interpret `$&` and friends inside the replacement.
  return { text: text.slice(0, offset) + replacement + text.slice(offset + search.length), offset };
}

/** Occurrences, overlapping ones included: "aa" in "aaa" is ambiguous, so it counts twice. */
function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (let index = text.indexOf(search); index !== -1; index = text.indexOf(search, index + 1)) count++;
  return count;
}

function checkViewRange(range: number[] | undefined, lineCount: number): [number, number] {
  if (range === undefined) return [1, lineCount];
  const [start, requestedEnd] = range;
  if (start < 1 || start > lineCount) {
    throw new ToolInputError(`view_range start ${start} is out of range: the file has ${lineCount} lines (1 to ${lineCount}).`);
  }
  const end = requestedEnd === -1 ? lineCount : Math.min(requestedEnd, lineCount);
  if (end < start) throw new ToolInputError(`view_range end ${requestedEnd} is before start ${start}; use -1 to read to the end.`);
  return [start, end];
}
