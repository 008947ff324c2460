/** Numbers people care about, in words: sizes, durations, ages, dates. */

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 -> "1.5 KB" (powers of 1024, as file managers show). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 0;
  // Move up a unit when the rounded figure would read 1024 ("1.0 MB", not "1024 KB").
  while (value >= 1023.5 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // One decimal below 10, unless it rounds to 10 ("10 KB", not "10.0 KB").
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** 1 -> "1 file", 1234 -> "1,234 files". */
export function formatCount(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** 95_000 -> "2 minutes"; rounded to the unit that matters. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return formatCount(s, 'second', 'seconds');
  const m = Math.round(s / 60);
  if (m < 60) return formatCount(m, 'minute', 'minutes');
  const h = Math.round(m / 6) / 10;
  if (h < 48) return `${h} ${h === 1 ? 'hour' : 'hours'}`;
  return formatCount(Math.round(h / 24), 'day', 'days');
}

/** "3 hours ago", "in 20 minutes", "just now". */
export function formatAge(time: number, now = Date.now()): string {
  const diff = time - now;
  if (Math.abs(diff) < 45_000) return 'just now';
  return diff < 0 ? `${formatDuration(-diff)} ago` : `in ${formatDuration(diff)}`;
}

/** "Tue 4 Nov, 14:05" (the year of `now`) or "4 Nov 2025, 14:05" (another year). */
export function formatDate(time: number | string, now = Date.now()): string {
  const d = new Date(time);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleString('en-GB', {
    weekday: sameYear ? 'short' : undefined,
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "14:05:09": a clock time to the second, for logs. */
export function formatTime(time: number | string): string {
  return new Date(time).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** The last part of a path, for names ("/home/ann/Documents" -> "Documents"). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}
