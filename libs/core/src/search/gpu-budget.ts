/**
 * GPU-time budgets (`budget: { gpuHours }`): the workflow counts each finished trial's GPU
 * seconds (its wall time on a GPU slot) and launches a new trial only while the estimate says it
 * fits. The estimate is conservative: every trial running or registered, and the new one, is
 * assumed to take the finished trials' mean; before any trial has finished, only the first wave
 * (maxParallel trials) starts.
 */
import type { SweepSpec } from '../spec/sweep-spec';
import { MAX_GPU_HOURS } from '../spec/gpu-budget';

/** What the workflow carries across continue-as-new for a sweep with a GPU-time budget. */
export interface GpuBudgetState {
  /** The budget in GPU seconds, grown by extensions. */
  budgetSeconds: number;
  /** GPU seconds of the trials finished so far (every attempt the workflow saw end). */
  usedSeconds: number;
  /** How many finished trials usedSeconds sums (the mean's denominator). */
  finishedTrials: number;
}

/** The state a new sweep starts with; undefined when its spec sets no GPU-time budget. */
export function initialGpuBudget(spec: Pick<SweepSpec, 'budget'>): GpuBudgetState | undefined {
  if (!spec.budget) return undefined;
  return { budgetSeconds: spec.budget.gpuHours * 3600, usedSeconds: 0, finishedTrials: 0 };
}

/** Counts one finished trial's GPU time (negative or non-finite readings count as 0). */
export function spendGpuSeconds(b: GpuBudgetState, seconds: number): void {
  b.usedSeconds += Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  b.finishedTrials++;
}

/**
 * Whether one more trial may start while `inFlight` trials (running or registered to run) will
 * still spend GPU time.
 */
export function gpuBudgetAffords(
  b: GpuBudgetState,
  inFlight: number,
  maxParallel: number,
): boolean {
  if (b.usedSeconds >= b.budgetSeconds) return false;
  if (b.finishedTrials === 0) return inFlight < maxParallel;
  const mean = b.usedSeconds / b.finishedTrials;
  return b.usedSeconds + (inFlight + 1) * mean <= b.budgetSeconds;
}

/** Adds GPU hours (a positive number, the sum capped at MAX_GPU_HOURS); false if refused. */
export function extendGpuBudget(b: GpuBudgetState, hours: number): boolean {
  if (!Number.isFinite(hours) || hours <= 0) return false;
  b.budgetSeconds = Math.min(b.budgetSeconds + hours * 3600, MAX_GPU_HOURS * 3600);
  return true;
}
