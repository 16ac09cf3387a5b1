// Opaque paging cursors: the sort key of the last item, base64url-encoded JSON.

export function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Returns null for anything that is not a cursor this server made (the caller answers 400). */
export function decodeCursor(cursor: string): string[] | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(key) && key.length > 0 && key.every((part) => typeof part === 'string') ? key : null;
  } catch {
    return null;
  }
}
