import { execFileSync } from 'node:child_process';

/** PIDs of processes whose command line mentions `pattern` (e.g. a test's work directory). */
export function processesMatching(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern]).toString().trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
