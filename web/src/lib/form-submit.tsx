import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from './api.js';

export interface FormSubmit {
  /** True while the action runs; the submit button is disabled meanwhile, so it cannot be sent twice. */
  busy: boolean;
  /** What went wrong the last time, in words for the user; cleared when the form is sent again. */
  error: string | null;
  /** The form's onSubmit: the page stays where it is and the action runs instead. */
  onSubmit: (event: Event) => Promise<void>;
}

/** A form that sends one request when submitted; whatever `action` throws becomes the error line. */
export function useFormSubmit(action: () => Promise<void>): FormSubmit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, onSubmit };
}

/**
 * The end of such a form: the error, announced as an alert, then the submit button (relabelled while
 * busy) and any other buttons given as children.
 */
export function FormSubmitRow({
  submit,
  label,
  busyLabel,
  small = false,
  children,
}: {
  submit: FormSubmit;
  label: string;
  busyLabel: string;
  small?: boolean;
  children?: ComponentChildren;
}) {
  return (
    <>
      {submit.error && (
        <p class="error-text" role="alert">
          {submit.error}
        </p>
      )}
      <div class="row">
        <button type="submit" class={small ? 'button primary small' : 'button primary'} disabled={submit.busy}>
          {submit.busy ? busyLabel : label}
        </button>
        {children}
      </div>
    </>
  );
}
