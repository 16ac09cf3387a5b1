import pg from 'pg';

// PostgreSQL text cannot hold NUL, and goosed's strings may (a message, a name, an id in a path).
// Every string goes in escaped and comes out unescaped: U+FFFF, a noncharacter (Unicode keeps it
// for a program's own use), escapes NUL and itself. Injective, so equality and uniqueness hold.

const NEEDS_ESCAPE = /[\u0000\uFFFF]/;
const ESCAPED = /\uFFFF([01])/g;

export function toDatabaseText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\u0000\uFFFF]/g, (char) => (char === '\u0000' ? '\uFFFF0' : '\uFFFF1')) : text;
}

export function fromDatabaseText(text: string): string {
  return text.indexOf('\uFFFF') === -1 ? text : text.replace(ESCAPED, (_, code: string) => (code === '0' ? '\u0000' : '\uFFFF'));
}

/** Query parameters with their strings (also inside arrays) escaped. */
export function toDatabaseValues(values: readonly unknown[]): unknown[] {
  return values.map((value) => (typeof value === 'string' ? toDatabaseText(value) : Array.isArray(value) ? toDatabaseValues(value) : value));
}

const TEXT_OIDS = new Set<number>([pg.types.builtins.TEXT, pg.types.builtins.VARCHAR, pg.types.builtins.BPCHAR]);

/** How result values are read: text unescaped, bigint as a number (counts, seqs, positions stay far below 2^53). */
export const databaseTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (TEXT_OIDS.has(oid)) return fromDatabaseText;
    if (oid === pg.types.builtins.INT8) return Number;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};
