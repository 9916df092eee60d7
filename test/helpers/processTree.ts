// The processes under a pid (Linux /proc), so a test can end what a child leaves behind when it stops: VS Code
// 1.139's server (code-server 4.139.1) does not end its extension host on SIGTERM; the host, reparented to init,
// waits to be reconnected (about 100 MB each, one per session, for the rest of the run).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessId { pid: number; start: string }

function stat(pid: number): { ppid: number; start: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state, ppid, ... starttime is the 22nd field.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), start: f[19] };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root`, each with its start time (so a pid reused later is not taken for it). */
export function descendants(root: number): ProcessId[] {
  const parent = new Map<number, { ppid: number; start: string }>();
  for (const d of readdirSync('/proc')) {
    const st = /^\d+$/.test(d) ? stat(Number(d)) : undefined;
    if (st) parent.set(Number(d), st);
  }
  const found: ProcessId[] = [];
  const seen = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, st] of parent) {
      if (seen.has(pid) || !seen.has(st.ppid)) continue;
      seen.add(pid);
      found.push({ pid, start: st.start });
      grew = true;
    }
  }
  return found;
}

/** SIGKILLs those of `procs` still running (same pid, same start time). */
export function killLeftovers(procs: readonly ProcessId[]): void {
  for (const p of procs) {
    if (stat(p.pid)?.start !== p.start) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* ended meanwhile */
    }
  }
}
