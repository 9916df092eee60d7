// How the Alerts view writes times: relative ("3m ago", "in 2h") for descriptions, which a timer keeps
// current while the view is visible, and a wall-clock time for when a mute ends. No vscode import.

export function ago(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined) return '?';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** "in 45m", "in 3h", "in 2d": how long until `ms`. */
export function inTime(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((ms - now) / 1000));
  if (s < 60) return `in ${s}s`;
  if (s < 3570) return `in ${Math.ceil(s / 60)}m`;
  if (s < 86_400) return `in ${Math.round(s / 3600)}h`;
  return `in ${Math.round(s / 86_400)}d`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time: "14:05" today, "2026-12-04 14:05" on another day. */
export function clockTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === new Date(now).toDateString() ? hm : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}
