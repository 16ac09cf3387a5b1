import { useState } from 'preact/hooks';
import type { Extension } from '../../../src/client/index.js';
import { api, dataOf } from '../lib/api.js';
import { FormSubmitRow, useFormSubmit } from '../lib/form-submit.js';
import { configOf, draftOf, type ExtensionKind } from './extension-draft.js';
import { ExtensionFields } from './extension-fields.js';

/**
 * Changes an extension's settings in place (PATCH with the whole config; goosed restarts it). Masked
 * secrets left as they are keep their stored values.
 */
export function EditExtensionForm({ extension, onDone }: { extension: Extension; onDone: (saved: boolean) => Promise<void> | void }) {
  const kind: ExtensionKind = extension.type === 'builtin' ? 'developer' : extension.type;
  const [draft, setDraft] = useState(() => draftOf(extension));
  const submit = useFormSubmit(async () => {
    const config = configOf(kind, draft, extension.config as Record<string, unknown>);
    await dataOf(api.PATCH('/api/extensions/{id}', { params: { path: { id: extension.id } }, body: { config } }));
    await onDone(true);
  });
  return (
    <form class="form edit-extension" onSubmit={submit.onSubmit} aria-label={`Edit ${extension.name}`} onKeyDown={(event) => event.key === 'Escape' && onDone(false)}>
      <ExtensionFields kind={kind} draft={draft} onChange={setDraft} idPrefix={`edit-${extension.id}`} />
      <FormSubmitRow submit={submit} label="Save" busyLabel="Saving…" small>
        <button type="button" class="button small" onClick={() => onDone(false)}>
          Cancel
        </button>
      </FormSubmitRow>
    </form>
  );
}
