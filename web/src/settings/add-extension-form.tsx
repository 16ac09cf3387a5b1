import { useState } from 'preact/hooks';
import type { AddExtensionRequest } from '../../../src/client/index.js';
import { api, dataOf } from '../lib/api.js';
import { Field } from '../lib/field.js';
import { FormSubmitRow, useFormSubmit } from '../lib/form-submit.js';

type Kind = 'developer' | 'stdio' | 'streamable_http';

const kinds: { value: Kind; label: string }[] = [
  { value: 'developer', label: 'Built-in developer tools' },
  { value: 'stdio', label: 'MCP server started as a command' },
  { value: 'streamable_http', label: 'MCP server at a URL' },
];

/** "KEY=value" (or "Name: value") lines into an object; blank lines are skipped. */
function parsePairs(text: string, separator: '=' | ':'): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const index = line.indexOf(separator);
    if (line.trim() === '') continue;
    if (index <= 0) throw new Error(`"${line.trim()}" is not of the form ${separator === '=' ? 'NAME=value' : 'Name: value'}.`);
    pairs[line.slice(0, index).trim()] = line.slice(index + 1).trim();
  }
  return pairs;
}

export function AddExtensionForm({ onAdded }: { onAdded: () => Promise<void> }) {
  const [kind, setKind] = useState<Kind>('developer');
  const [name, setName] = useState('');
  const [allowShell, setAllowShell] = useState(true);
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [env, setEnv] = useState('');
  const [url, setUrl] = useState('');
  const [headers, setHeaders] = useState('');

  const request = (): AddExtensionRequest => {
    if (kind === 'developer') return { name: 'developer', type: 'builtin', config: { allow_shell: allowShell } };
    if (kind === 'stdio') {
      const argList = args.split('\n').map((arg) => arg.trim()).filter(Boolean);
      return { name: name.trim(), type: 'stdio', config: { command: command.trim(), args: argList, env: parsePairs(env, '=') } };
    }
    return { name: name.trim(), type: 'streamable_http', config: { url: url.trim(), headers: parsePairs(headers, ':') } };
  };

  // request() throws on a malformed NAME=value line; that shows as the form's error, like a refusal.
  const submit = useFormSubmit(async () => {
    await dataOf(api.POST('/api/extensions', { body: request() }));
    setName('');
    setCommand('');
    setArgs('');
    setEnv('');
    setUrl('');
    setHeaders('');
    await onAdded();
  });

  return (
    <form class="card form" onSubmit={submit.onSubmit} aria-labelledby="add-extension-title">
      <h2 id="add-extension-title">Add an extension</h2>
      <fieldset class="choices">
        <legend>Kind</legend>
        {kinds.map((option) => (
          <label class="choice">
            <input type="radio" name="extension-kind" value={option.value} checked={kind === option.value} onChange={() => setKind(option.value)} />
            {option.label}
          </label>
        ))}
      </fieldset>
      {kind === 'developer' ? (
        <label class="check">
          <input type="checkbox" checked={allowShell} onChange={(event) => setAllowShell(event.currentTarget.checked)} />
          Allow shell commands (run in the session's working directory)
        </label>
      ) : (
        <Field id="extension-name" label="Name" hint="Prefixes its tools, e.g. files__read.">
          <input
            id="extension-name"
            aria-describedby="extension-name-hint"
            value={name}
            required
            maxLength={32}
            pattern="[A-Za-z][A-Za-z0-9_\-]*"
            spellcheck={false}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </Field>
      )}
      {kind === 'stdio' && (
        <>
          <Field id="extension-command" label="Command">
            <input id="extension-command" value={command} required spellcheck={false} placeholder="npx" onInput={(event) => setCommand(event.currentTarget.value)} />
          </Field>
          <Field id="extension-args" label="Arguments" hint="One per line.">
            <textarea id="extension-args" aria-describedby="extension-args-hint" rows={3} value={args} spellcheck={false} onInput={(event) => setArgs(event.currentTarget.value)} />
          </Field>
          <Field id="extension-env" label="Environment" hint="NAME=value, one per line.">
            <textarea id="extension-env" aria-describedby="extension-env-hint" rows={2} value={env} spellcheck={false} onInput={(event) => setEnv(event.currentTarget.value)} />
          </Field>
        </>
      )}
      {kind === 'streamable_http' && (
        <>
          <Field id="extension-url" label="URL">
            <input id="extension-url" type="url" value={url} required spellcheck={false} placeholder="https://example.com/mcp" onInput={(event) => setUrl(event.currentTarget.value)} />
          </Field>
          <Field id="extension-headers" label="Headers" hint="Name: value, one per line.">
            <textarea id="extension-headers" aria-describedby="extension-headers-hint" rows={2} value={headers} spellcheck={false} onInput={(event) => setHeaders(event.currentTarget.value)} />
          </Field>
        </>
      )}
      <FormSubmitRow submit={submit} label="Add extension" busyLabel="Adding…" />
    </form>
  );
}
