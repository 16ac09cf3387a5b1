import type { ComponentChildren } from 'preact';

/**
 * A labelled form control: the label names the control exactly (`for`/`id`), and the hint is its
 * description (`aria-describedby` on the control, id `<id>-hint`), not part of its name.
 */
export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} class="hint">
          {hint}
        </span>
      )}
      {children}
    </div>
  );
}
