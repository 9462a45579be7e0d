import { appendFileSync } from 'node:fs';

/**
 * Debug-only phase timestamps of a runTrial attempt (bench:overhead's breakdown): given a file
 * (the worker's `trialTimingFile`), each attempt appends one line "trialId phase=epochMs …" when
 * it ends; without one, marks cost nothing.
 */
export interface TrialTiming {
  mark(phase: string): void;
  end(): void;
}

const off: TrialTiming = { mark: () => {}, end: () => {} };

export function trialTiming(trialId: string, file: string | undefined): TrialTiming {
  if (!file) return off;
  const marks: string[] = [`start=${Date.now()}`];
  return {
    mark: (phase) => marks.push(`${phase}=${Date.now()}`),
    end: () => {
      marks.push(`end=${Date.now()}`);
      try {
        appendFileSync(file, `${trialId} ${marks.join(' ')}\n`);
      } catch {
        // Debug output only: a trial never fails on it.
      }
    },
  };
}
