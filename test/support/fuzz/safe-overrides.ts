// What the fuzzer puts in the few fields whose content goosed acts on outside itself: a command it
// would spawn, a URL it would call, a directory it would work in. Still hostile, never harmful,
// and never leaving the machine: commands that do not exist or do nothing, loopback URLs only.
import fc from 'fast-check';
import type { JsonSchema } from './json-schema-arbitrary.js';
import { hostileStringArbitrary } from './hostile-values.js';

export function fuzzOverrides({ workingDirectory, llmUrl }: { workingDirectory: string; llmUrl: string }) {
  const urls = fc.constantFrom(
    `${llmUrl}/v1`, `${llmUrl}/api`, `${llmUrl}/v1beta`, llmUrl, 'http://127.0.0.1:1/v1', 'http://[::1]:1', 'not a url', 'ftp://127.0.0.1/x',
    'javascript:alert(1)', 'file:///etc/passwd', 'http://', 'http://127.0.0.1:99999', '',
  );
  const commands = fc.constantFrom('/bin/false', 'true', '/nonexistent/goosed-fuzz-mcp', '', './relative-nothing', '/dev/null', '/etc/passwd');
  const directories = fc.oneof(
    fc.constantFrom(workingDirectory, '/', '/nonexistent/dir', '/etc/passwd', '../../..', '.', '~', '/proc/self'),
    hostileStringArbitrary,
  );
  // An extension's config is a free-form map in the schema; these are shaped like the real ones.
  const extensionConfigs = fc.oneof(
    fc.record({ command: commands, args: fc.array(fc.constantFrom('--version', '-c', '', '..'), { maxLength: 3 }), env: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }), timeout_ms: fc.integer({ min: -5, max: 5000 }) }, { requiredKeys: [] }),
    fc.record({ url: urls, headers: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }) }, { requiredKeys: [] }),
    fc.record({ allow_shell: fc.jsonValue({ maxDepth: 1 }), shell_timeout_ms: fc.jsonValue({ maxDepth: 1 }), max_output_bytes: fc.integer() }, { requiredKeys: [] }),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  );
  return (propertyName: string | undefined, schema: JsonSchema): fc.Arbitrary<unknown> | undefined => {
    if (propertyName === 'config' && schema.type === 'object') return extensionConfigs;
    if (schema.format === 'uri' || propertyName === 'url' || propertyName === 'base_url') return urls;
    if (propertyName === 'command') return commands;
    if (propertyName === 'args') return fc.array(fc.constantFrom('--version', '-c', '', '..'), { maxLength: 3 });
    if (propertyName === 'working_directory' || propertyName === 'cwd') return directories;
    return undefined;
  };
}
