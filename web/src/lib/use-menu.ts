import { useEffect, useRef, useState } from 'preact/hooks';
import type { Route } from './route.js';

/**
 * The session list as a menu on narrow screens: a button opens it; Esc, the backdrop or choosing a
 * screen closes it. Focus goes into the menu when it opens and back to the button when Esc closes it.
 */
export function useMenu(route: Route) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);

  // Choosing a session or a screen changes the route: the menu has done its job.
  useEffect(() => setOpen(false), [route]);
  useEffect(() => {
    const element = panel.current;
    if (!open || !element) return;
    element.querySelector<HTMLElement>('a, button, input')?.focus();
    const onKey = (event: KeyboardEvent) => {
      // A form inside the menu that handled Esc itself (closing just the form) marks it so.
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      setOpen(false);
      button.current?.focus();
    };
    // A link to the screen already shown changes no route, and still means "take me there".
    const onClick = (event: MouseEvent) => {
      if ((event.target as Element).closest('a[href^="#"]')) setOpen(false);
    };
    addEventListener('keydown', onKey);
    element.addEventListener('click', onClick);
    return () => {
      removeEventListener('keydown', onKey);
      element.removeEventListener('click', onClick);
    };
  }, [open]);

  return { open, setOpen, button, panel };
}
