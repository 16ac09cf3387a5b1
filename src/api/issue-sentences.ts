import type { z } from 'zod';

// zod's own messages ("✖ Unrecognized key", "Invalid input: expected string, received undefined")
// are written for programmers; these sentences name the field and say what it must be, for the
// person reading the 400 (often in the web page). Messages a schema wrote itself are kept.

type Issue = z.core.$ZodIssue;

export interface IssueSentenceOptions {
  /** Prefixed to every field, e.g. "config" for an extension's config. */
  prefix?: string;
  /** What the root is called when the whole value is wrong, e.g. "the request body". */
  root?: string;
  /** The value that was checked, to say what a field held instead. */
  input?: unknown;
  /** Problems named at most (the rest are counted). */
  limit?: number;
}

/**
 * One clause per problem, joined by semicolons, for after a lead such as "The request body is not
 * valid: ": `name is required; config has an unknown field "argz"`.
 */
export function issueSentences(issues: readonly Issue[], options: IssueSentenceOptions = {}): string {
  const { limit = 5 } = options;
  // One problem per field: an empty name need not also be told it does not match the name pattern.
  const seen = new Set<string>();
  const firstPerField = issues.filter((issue) => {
    const key = JSON.stringify(issue.path);
    return !seen.has(key) && (seen.add(key), true);
  });
  const clauses = firstPerField.slice(0, limit).map((issue) => clauseFor(issue, options));
  const left = firstPerField.length - limit;
  if (left > 0) clauses.push(`and ${left} more ${left === 1 ? 'problem' : 'problems'}`);
  return clauses.join('; ');
}

function clauseFor(issue: Issue, { prefix, root = 'the value', input }: IssueSentenceOptions): string {
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
  const field = path.length > 0 ? path.join('.') : root;
  const value = valueAt(input, issue.path);
  // A message the schema wrote itself ("a letter, then letters, digits…") says it best.
  const authored = !/^(Invalid|Too (big|small)|Unrecognized)\b/.test(issue.message);
  switch (issue.code) {
    case 'invalid_type':
      if (value.missing) return `${field} is required`;
      return `${field} must be ${expectedName(issue.expected)}, not ${describeValue(value.value)}`;
    case 'unrecognized_keys': {
      const keys = issue.keys.map((key) => `"${key}"`).join(', ');
      return `${field} has ${issue.keys.length === 1 ? 'an unknown field' : 'unknown fields'} ${keys}`;
    }
    case 'too_small':
      return `${field} ${boundSentence(issue.origin, 'least', Number(issue.minimum), issue.inclusive !== false)}`;
    case 'too_big':
      return `${field} ${boundSentence(issue.origin, 'most', Number(issue.maximum), issue.inclusive !== false)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `${field} must be ${JSON.stringify(issue.values[0])}`
        : `${field} must be one of ${issue.values.map((option) => JSON.stringify(option)).join(', ')}`;
    case 'invalid_format':
      if (authored) return `${field} must be ${trimStop(issue.message)}`;
      if (issue.format === 'url') return `${field} must be a valid URL`;
      if (issue.format === 'regex') return `${field} holds characters it may not contain`;
      return `${field} must be a valid ${issue.format}`;
    case 'invalid_union': {
      // `orNull(SomeEnum)`: the values each branch would take, here, e.g. "anthropic", …, null.
      const values = issue.errors
        .flat()
        .filter((branch) => branch.path.length === 0)
        .flatMap((branch) => (branch.code === 'invalid_value' ? branch.values : branch.code === 'invalid_type' && branch.expected === 'null' ? [null] : []));
      if (values.length > 1) return `${field} must be one of ${values.map((option) => JSON.stringify(option)).join(', ')}`;
      return `${field} is not valid`;
    }
    case 'not_multiple_of':
      return `${field} must be a multiple of ${issue.divisor}`;
    case 'custom':
      return authored ? `${field} ${trimStop(issue.message)}` : `${field} is not valid`;
    default:
      return `${field} is not valid`;
  }
}

function boundSentence(origin: string, side: 'least' | 'most', bound: number, inclusive: boolean): string {
  if (origin === 'string') {
    if (side === 'least' && bound === 1) return 'must not be empty';
    return `must be at ${side} ${bound} ${bound === 1 ? 'character' : 'characters'} long`;
  }
  if (origin === 'array' || origin === 'set') {
    if (side === 'least' && bound === 1) return 'must not be empty';
    return `must hold at ${side} ${bound} ${bound === 1 ? 'item' : 'items'}`;
  }
  if (inclusive) return `must be at ${side} ${bound}`;
  return `must be ${side === 'least' ? 'greater' : 'less'} than ${bound}`;
}

function expectedName(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    record: 'an object',
    null: 'null',
  };
  return names[expected] ?? `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a number' : 'a fraction';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { missing: boolean; value?: unknown } {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return { missing: true };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { missing: current === undefined, value: current };
}

const trimStop = (text: string) => text.trim().replace(/\.$/, '');
