import type { ChildProcess } from 'node:child_process';

/**
 * Stops a trainer started with `detached: true` (its own process group): SIGTERM to the whole
 * group, SIGKILL after `graceMs`, so grandchildren (a Python trainer's data loaders) go too.
 * Returns the timer so the caller can clear it once the process has closed.
 */
export function killGroup(child: ChildProcess, graceMs: number): NodeJS.Timeout | undefined {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, graceMs);
  timer.unref();
  return timer;
}

export function signalNumber(sig: NodeJS.Signals): number {
  return (
    ({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGSEGV: 11, SIGABRT: 6 } as Record<string, number>)[
      sig
    ] ?? 0
  );
}
