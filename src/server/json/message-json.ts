import { JSON_MESSAGE_FIELDS, STORED_MESSAGE_FIELDS, type StoredMessageRow, type StoredMessageSink } from '../../store/store.js';
import type { JsonWriter } from './json-writer.js';

// A long history answered as JSON is mostly the stored text itself. Parsing each stored `parts`
// column into objects only to stringify them again cost most of the time of a 10,000-message
// fetch, and the garbage it left. So the response is written straight from the stored rows as the
// store reads them: text values through JSON.stringify, JSON values as stored.
//
// The bytes are those of JSON.stringify(message) for the message the store would build: the keys
// are the wire schema's own, in its order (the order of a stored row's values), and a JSON value
// is what JSON.stringify wrote, which parsing and stringifying again reproduces exactly.

// `{"id":`, `,"session_id":`, … : the text before each value.
const prefixes = STORED_MESSAGE_FIELDS.map((field, index) => `${index === 0 ? '{' : ','}${JSON.stringify(field)}:`);
const isJson = STORED_MESSAGE_FIELDS.map((field) => JSON_MESSAGE_FIELDS.has(field));

/** The JSON of a message from its stored row; values after the wire fields are ignored. */
function messageJson(row: StoredMessageRow): string {
  let json = '';
  for (let index = 0; index < prefixes.length; index++) {
    const value = row[index];
    json += prefixes[index];
    // Empty or null: no value (as the store reads it back).
    json += isJson[index] ? ((value as string | null) || 'null') : JSON.stringify(value ?? null);
  }
  return `${json}}`;
}

/** Rows written before the size of the whole page is estimated from them. */
const SAMPLE_ROWS = 32;

/**
 * Writes the rows a store reads (Store.readStoredMessages) as a JSON array into `out`: the bytes of
 * JSON.stringify of the messages they hold. Call end() once the store is done.
 */
export class MessagesJson implements StoredMessageSink {
  private readonly start: number;
  private expected = 0;
  private count = 0;

  constructor(private readonly out: JsonWriter) {
    this.start = out.size;
    out.write('[');
  }

  expect(rows: number): void {
    this.expected = rows;
  }

  row(row: StoredMessageRow): void {
    // Room for the whole page at once, from the size of its first rows: no copying as it grows.
    if (this.count === SAMPLE_ROWS && this.expected > 2 * SAMPLE_ROWS) {
      this.out.reserve(Math.ceil(((this.out.size - this.start) / this.count) * (this.expected - this.count) * 1.1));
    }
    // One string per row, written at once: it dies young, and the page never exists as a string.
    this.out.write(this.count === 0 ? messageJson(row) : `,${messageJson(row)}`);
    this.count++;
  }

  end(): void {
    this.out.write(']');
  }
}
