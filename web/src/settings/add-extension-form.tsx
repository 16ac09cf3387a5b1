import { useState } from 'preact/hooks';
import type { AddExtensionRequest } from '../../../src/client/index.js';
import { api, dataOf } from '../lib/api.js';
import { Field } from '../lib/field.js';
import { FormSubmitRow, useFormSubmit } from '../lib/form-submit.js';
import { configOf, emptyDraft, type ExtensionKind } from './extension-draft.js';
import { ExtensionFields } from './extension-fields.js';

const kinds: { value: ExtensionKind; label: string }[] = [
  { value: 'developer', label: 'Built-in developer tools' },
  { value: 'stdio', label: 'MCP server started as a command' },
  { value: 'streamable_http', label: 'MCP server at a URL' },
];

export function AddExtensionForm({ onAdded }: { onAdded: () => Promise<void> }) {
  const [kind, setKind] = useState<ExtensionKind>('developer');
  const [name, setName] = useState('');
  const [draft, setDraft] = useState(emptyDraft);

  const request = (): AddExtensionRequest => {
    const config = configOf(kind, draft);
    return kind === 'developer' ? { name: 'developer', type: 'builtin', config } : { name: name.trim(), type: kind, config };
  };

  // request() throws on a command line or a NAME=value line it cannot use; that shows as the form's error, like a refusal.
  const submit = useFormSubmit(async () => {
    await dataOf(api.POST('/api/extensions', { body: request() }));
    setName('');
    setDraft(emptyDraft);
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
      {kind !== 'developer' && (
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
      <ExtensionFields kind={kind} draft={draft} onChange={setDraft} idPrefix="extension" />
      <FormSubmitRow submit={submit} label="Add extension" busyLabel="Adding…" />
    </form>
  );
}
