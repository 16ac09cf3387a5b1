import { useEffect, useState } from 'preact/hooks';

// One polite live region for the whole page: screen readers hear "Reply complete" or "Approval
// needed", not every piece of streamed text.
let setMessage: ((text: string) => void) | null = null;

export function announce(text: string): void {
  // Clearing first makes the same sentence twice in a row be read twice.
  setMessage?.('');
  setTimeout(() => setMessage?.(text), 50);
}

export function Announcer() {
  const [text, setText] = useState('');
  useEffect(() => {
    setMessage = setText;
    return () => {
      setMessage = null;
    };
  }, []);
  return (
    <div class="visually-hidden" role="status" aria-live="polite">
      {text}
    </div>
  );
}
