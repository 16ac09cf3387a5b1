// Inputs that have broken servers before: ids that look like paths or injections, bytes that are
// not UTF-8, JSON that is huge or deep, content types that are not JSON.
import fc from 'fast-check';

/** Raw (already percent-encoded where needed) path segments: traversal, injection, odd encodings. */
export const hostileIds: readonly string[] = [
  '..', '.', '../..', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%5C..%5Cwindows',
  '%00', 'abc%00def', '%ff%fe', '%c0%af', '%ed%a0%80', '%', '%zz', '%%', '%252e%252e',
  "'%20OR%20'1'%3D'1", '1%3B%20DROP%20TABLE%20sessions%3B--', '%22%3B%20--', '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%24%7Bjndi%3Aldap%3A%2F%2Fx%7D', '%7B%7B7*7%7D%7D', '__proto__', 'constructor', 'prototype', 'hasOwnProperty',
  'NaN', '-1', '0', '1e309', 'null', 'undefined', 'true', '%F0%9F%A6%86', '%E2%80%AE', 'a'.repeat(201), 'a'.repeat(5000),
  '%2Fetc%2Fpasswd', 'file%3A%2F%2F%2Fetc%2Fpasswd', '~root', '*', '?', '%3F', '%23', ';', 'id;rm%20-rf%20%2F', '%60id%60', '%24(id)',
];

/** Byte sequences that are not UTF-8: overlong, lone continuation, surrogate halves, cut sequences, 0xFF. */
export const invalidUtf8: readonly Buffer[] = [
  Buffer.from([0xff]), Buffer.from([0xfe, 0xff]), Buffer.from([0xc0, 0xaf]), Buffer.from([0x80]),
  Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
];

/** Strings that are fine UTF-8 but hostile as content. */
export const hostileStrings: readonly string[] = [
  '', ' ', '\u0000', '\u0000\u0000\u0000', '\ud800', '\udfff', '\ufeff', '\u202e', '\r\n\r\nHTTP/1.1 200 OK', '../../../../etc/passwd',
  "' OR 1=1 --", '"; DROP TABLE events; --', '<img src=x onerror=alert(1)>', '${process.exit()}', '{{constructor.constructor("return process")()}}',
  '__proto__', 'a'.repeat(100_000), '🦆'.repeat(1000), '\\', '%s%s%s%n', 'NaN', '-0', '1e999',
];

export const wrongContentTypes: readonly (string | null)[] = [
  null, 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=----x',
  'application/xml', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/json-patch+json', 'application/octet-stream', '*/*', 'application/json, text/plain', '',
];

/** JSON nested `depth` deep, as text (built without recursion so huge depths cost nothing to make). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

export const hostileIdArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...hostileIds),
  fc.string({ unit: 'binary', maxLength: 30 }).map(percentEncode),
  fc.uuid(),
);

export const hostileStringArbitrary: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ unit: 'binary', maxLength: 60 }));

/** encodeURIComponent that also takes lone surrogates (sent as the UTF-8 of U+FFFD, as a browser would). */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}
