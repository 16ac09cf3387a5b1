import { announce } from './announce.js';

/**
 * Puts text on the clipboard. The Clipboard API needs a secure context (https or localhost); goosed
 * on a LAN address over plain http is not one, so the old copy command is the fallback there.
 */
export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the copy command
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}

/** Copies, then says so on the button for a moment. */
export async function copyWithFeedback(button: HTMLElement, text: string, label = 'Copy'): Promise<void> {
  const copied = await copyText(text);
  button.textContent = copied ? 'Copied' : 'Copy failed';
  announce(copied ? 'Copied' : 'Copying failed');
  setTimeout(() => {
    if (button.isConnected) button.textContent = label;
  }, 1500);
}
