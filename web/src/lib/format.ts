const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago", "yesterday", "just now". */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function formatTokens(total: number): string {
  return total < 1000 ? `${total} tokens` : `${(total / 1000).toFixed(total < 10_000 ? 1 : 0)}k tokens`;
}

/** `developer__shell` → ["developer", "shell"]: the extension, then its tool. */
export function splitToolName(name: string): [string | null, string] {
  const index = name.indexOf('__');
  return index === -1 ? [null, name] : [name.slice(0, index), name.slice(index + 2)];
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndClock = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** "14:32" today, "3 Mar, 14:32" on another day; `title` is the full date and time. */
export function messageTime(iso: string, now = new Date()): { label: string; title: string } {
  const date = new Date(iso);
  const today = date.toDateString() === now.toDateString();
  return { label: (today ? clock : dayAndClock).format(date), title: full.format(date) };
}
