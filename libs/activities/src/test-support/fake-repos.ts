import type { Repositories } from '@retune/db';
import type { MetricPointInput } from '../trial/metric-buffer';

/** In-memory stand-ins for the trial and metric repositories, recording what was written. */
export function fakeTrialRepos() {
  const running: { trialId: string; worker: string; slot: number | null; attempt: number }[] = [];
  const points = new Map<string, MetricPointInput[]>();
  const logs = new Map<string, { stream: string; line: string }[]>();
  const devices = new Map<string, unknown>();
  /** markAttemptEnded's markers (tests set one to end a predecessor "on another worker"). */
  const attemptsEnded = new Map<string, number>();
  /** Trials whose attempt has not started anywhere (attemptState "pending"). */
  const notStarted = new Set<string>();
  const repos = {
    baseModels: {
      async findByName(name: string) {
        return name === 'registered-base'
          ? {
              id: 'bm',
              name,
              path: '/models/registered/model.json',
              inputShape: [],
              source: '',
              meta: {
                inputSize: [224, 224] as [number, number],
                channels: 3 as const,
                preprocessing: { kind: 'symmetric' as const },
                outputLayer: 'out_relu',
                classifierTop: true,
              },
              createdAt: '',
            }
          : null;
      },
    },
    trials: {
      async markRunning(
        trialId: string,
        info: { worker: string; slot: number | null; attempt: number },
      ) {
        running.push({ trialId, ...info });
      },
      async markAttemptEnded(trialId: string, gpuSeconds: number) {
        attemptsEnded.set(trialId, gpuSeconds);
      },
      async attemptState(trialId: string) {
        if (attemptsEnded.has(trialId)) return 'ended';
        return notStarted.has(trialId) ? 'pending' : 'running';
      },
      async setDevice(trialId: string, device: unknown) {
        devices.set(trialId, device);
      },
    },
    trialLogs: {
      async add(trialId: string, lines: { stream: string; line: string }[]) {
        logs.set(trialId, [...(logs.get(trialId) ?? []), ...lines]);
      },
    },
    metrics: {
      async write(trialId: string, batch: MetricPointInput[]) {
        points.set(trialId, [...(points.get(trialId) ?? []), ...batch]);
        return { written: batch.length, skipped: 0 };
      },
    },
  } as unknown as Pick<Repositories, 'trials' | 'metrics' | 'baseModels' | 'trialLogs'>;
  return { repos, running, points, logs, devices, attemptsEnded, notStarted };
}
