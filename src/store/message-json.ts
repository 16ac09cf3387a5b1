import { Message } from '../api/messages.js';
import type { JsonWriter } from './json-writer.js';

// A long history answered as JSON is mostly the stored text itself. Parsing each stored `parts`
// column into objects only to stringify them again cost most of the time of a 10,000-message
// fetch, and the garbage it left. So the store writes the response straight from the columns:
// text columns through JSON.stringify, JSON columns as stored.
//
// The bytes are those of JSON.stringify(message) for the message the store would build: the keys
// are the wire schema's own, in its order (its field names are the column names, so a field added
// without a column fails when the statement is prepared), and a JSON column holds what
// JSON.stringify wrote (see SqliteStore), which parsing and stringifying again reproduces exactly.

/** The fields of `Message` whose columns hold JSON text rather than a plain value. */
const JSON_FIELDS: ReadonlySet<string> = new Set(['parts', 'usage', 'error']);

/** The wire fields of a message, in the schema's order: also the columns to select, in that order. */
export const MESSAGE_JSON_COLUMNS: readonly string[] = Object.keys(Message.shape);

for (const field of JSON_FIELDS) {
  if (!MESSAGE_JSON_COLUMNS.includes(field)) throw new Error(`Message has no field ${field}; update JSON_FIELDS`);
}

// `{"id":`, `,"session_id":`, … : the text before each value.
const prefixes = MESSAGE_JSON_COLUMNS.map((field, index) => `${index === 0 ? '{' : ','}${JSON.stringify(field)}:`);
const isJson = MESSAGE_JSON_COLUMNS.map((field) => JSON_FIELDS.has(field));

/**
 * The JSON of a message from its row, selected as `MESSAGE_JSON_COLUMNS` in raw (array) mode:
 * the first `MESSAGE_JSON_COLUMNS.length` values of `row`; any further ones are ignored.
 */
function messageJson(row: readonly unknown[]): string {
  let json = '';
  for (let index = 0; index < prefixes.length; index++) {
    const value = row[index];
    json += prefixes[index];
    // Empty or null: no value (as the store reads it back, see SqliteStore.toMessage).
    json += isJson[index] ? ((value as string | null) || 'null') : JSON.stringify(value ?? null);
  }
  return `${json}}`;
}

/** Rows written before the size of the whole page is estimated from them. */
const SAMPLE_ROWS = 32;

/**
 * Writes a page of messages as a JSON array, from rows as `messageJson` takes them, each followed
 * by its position; reads one row past `limit` (when given) to know whether more follow. Returns
 * the position of the last message written when more follow, else null. `expectedRows` (how many
 * the page will hold) lets it make room for the whole page once, from the size of its first rows.
 */
export function writeMessagePage(rows: Iterable<readonly unknown[]>, limit: number | undefined, expectedRows: number, out: JsonWriter): number | null {
  const positionIndex = MESSAGE_JSON_COLUMNS.length;
  const start = out.size;
  let count = 0;
  let lastPosition = 0;
  out.write('[');
  for (const row of rows) {
    if (count === SAMPLE_ROWS && expectedRows > 2 * SAMPLE_ROWS) {
      out.reserve(Math.ceil(((out.size - start) / count) * (expectedRows - count) * 1.1));
    }
    // Leaving the loop early resets the statement (the iterator's return()).
    if (limit !== undefined && count === limit) {
      out.write(']');
      return lastPosition;
    }
    // One string per row, written at once: it dies young, and the page never exists as a string.
    out.write(count === 0 ? messageJson(row) : `,${messageJson(row)}`);
    lastPosition = row[positionIndex] as number;
    count++;
  }
  out.write(']');
  return null;
}
