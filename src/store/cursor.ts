// Opaque paging cursors: the sort key of the last item, base64url-encoded JSON. Each list has its
// own shape, checked whole: a cursor that decodes to anything else is refused (invalid_cursor), never taken as
// "from the start", which would hand the whole list to whoever sent it.

export interface SessionCursor {
  updatedAt: string;
  id: string;
}

const POSITION = /^(?:0|[1-9]\d{0,15})$/;

export function encodeSessionCursor({ updatedAt, id }: SessionCursor): string {
  return encode([updatedAt, id]);
}

/** The sessions list's cursor (`[updated_at, id]`), or null for anything this server did not make. */
export function decodeSessionCursor(cursor: string): SessionCursor | null {
  const key = decode(cursor);
  // updated_at is not checked as a time: an imported session's comes from its last message, as exported.
  if (key === null || key.length !== 2 || key[1] === '') return null;
  return { updatedAt: key[0], id: key[1] };
}

export function encodeMessageCursor(position: number): string {
  return encode([String(position)]);
}

/** The messages list's cursor (the position of the last message), or null for anything this server did not make. */
export function decodeMessageCursor(cursor: string): number | null {
  const key = decode(cursor);
  return key !== null && key.length === 1 && POSITION.test(key[0]) ? Number(key[0]) : null;
}

/** Where a page of messages starts: after the cursor's position, or from the first message. */
export function messagePositionAfter(cursor: string | undefined): number {
  const after = cursor === undefined ? 0 : decodeMessageCursor(cursor);
  // Callers refuse a bad cursor (invalid_cursor) before this; reading on from 0 would hand out the whole history.
  if (after === null) throw new Error('a message cursor of the wrong shape reached the store');
  return after;
}

function encode(key: string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decode(cursor: string): string[] | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || !key.every((part) => typeof part === 'string')) return null;
    // Node's base64 decoder skips what is not base64: only the exact text this server wrote is one of its cursors.
    return encode(key) === cursor ? key : null;
  } catch {
    return null;
  }
}
