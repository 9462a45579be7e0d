import {
  CancellationScope,
  executeChild,
  isCancellation,
  log,
  patched,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import {
  canScoreOnHoldout,
  candidateSweepSpec,
  compareRecordedMetrics,
  decidePromotion,
  sweepWorkflowId,
  TASK_QUEUES,
  type RetrainConfig,
  type RetrainNotification,
  type RetrainOutcome,
  type RetrainResult,
  type RetrainWorkflowInput,
} from '@retune/core';
import type { HoldoutActivities, RetrainActivities, RetrainRunFinish } from '@retune/activities';
import { sweepWorkflow } from './sweep-workflow';

/** patched() id: recorded metrics are compared in the workflow, not by an activity. */
const COMPARE_RECORDED_IN_WORKFLOW = 'compare-recorded-metrics-in-workflow';

/** DB activities: short, idempotent, retried through brief outages. */
const retrain = proxyActivities<RetrainActivities>({
  taskQueue: TASK_QUEUES.control,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** Hashing a large image folder reads every byte once. */
const snapshots = proxyActivities<RetrainActivities>({
  taskQueue: TASK_QUEUES.control,
  startToCloseTimeout: '2 hours',
  retry: { initialInterval: '5 seconds', maximumAttempts: 3 },
});

/** Loads two saved models and one holdout on a GPU worker (where TensorFlow.js lives). */
const holdout = proxyActivities<HoldoutActivities>({
  taskQueue: TASK_QUEUES.gpu,
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 3 },
});

const DEFAULT_WEBHOOK_RETRY = { initialIntervalMs: 1000, maximumAttempts: 5 };

function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

type Finish = Omit<RetrainRunFinish, 'status' | 'reason'>;

/**
 * One scheduled (or triggered) retrain: snapshot the dataset (skip when unchanged unless
 * forced), train a candidate as a child sweep (the champion's config, or a small sweep around
 * it), compare candidate and champion on the same holdout, promote only past the margin, and
 * record the outcome. The webhook is told last and its failure never fails the run.
 */
export async function retrainWorkflow(input: RetrainWorkflowInput): Promise<RetrainResult> {
  const forced = input.force === true;
  const config = await retrain.loadRetrainConfig(input.scheduleId);
  const runId = await retrain.startRetrainRun({
    scheduleId: input.scheduleId,
    workflowId: workflowInfo().workflowId,
    forced,
  });
  const fields: Finish = {};

  const settle = async (status: RetrainOutcome, reason: string): Promise<RetrainResult> => {
    await CancellationScope.nonCancellable(() =>
      retrain.finishRetrainRun(runId, { ...fields, status, reason }),
    );
    return {
      runId,
      status,
      reason,
      candidateVersionId: fields.candidateVersionId ?? null,
      candidateMetric: fields.candidateMetric ?? null,
      championMetric: fields.championMetric ?? null,
    };
  };

  let result: RetrainResult;
  try {
    result = await runRetrain(config, runId, forced, fields, settle);
  } catch (err) {
    if (isCancellation(err)) {
      // Cancelled (e.g. overlap policy cancel-other): record it, then end as cancelled.
      await settle('failed', 'cancelled before it finished');
      throw err;
    }
    result = await settle('failed', errorMessage(err));
  }
  await notify(config, result, input.webhookRetry ?? DEFAULT_WEBHOOK_RETRY);
  return result;
}

async function runRetrain(
  config: RetrainConfig,
  runId: string,
  forced: boolean,
  fields: Finish,
  settle: (status: RetrainOutcome, reason: string) => Promise<RetrainResult>,
): Promise<RetrainResult> {
  const snap = await snapshots.takeDatasetSnapshot({
    runId,
    scheduleId: config.scheduleId,
    dataset: config.spec.dataset,
  });
  fields.snapshotId = snap.snapshotId;
  if (!forced && snap.previousHash === snap.contentHash) {
    return settle(
      'skipped',
      `dataset unchanged since the last run (${snap.fileCount} files, sha256 ${snap.contentHash.slice(0, 12)})`,
    );
  }

  const champion = await retrain.getChampion(config.task);
  fields.championVersionId = champion?.versionId ?? null;
  const spec = candidateSweepSpec(
    config.spec,
    config.policy,
    champion?.params ?? null,
    `retrain ${runId}`,
  );
  const sweepId = await retrain.createCandidateSweep({ runId, spec });
  fields.sweepId = sweepId;
  const sweep = await executeChild(sweepWorkflow, {
    args: [{ sweepId, spec }],
    workflowId: sweepWorkflowId(sweepId),
    taskQueue: TASK_QUEUES.control,
  });
  if (sweep.bestTrialId === null || sweep.bestParams === null) {
    const why = sweep.error ? `: ${sweep.error}` : '';
    return settle(
      'failed',
      `the candidate sweep ended ${sweep.status} without a completed trial${why}`,
    );
  }

  const candidate = await retrain.registerModelVersion({
    runId,
    task: config.task,
    spec,
    sweepId,
    trialId: sweep.bestTrialId,
    params: sweep.bestParams,
    metricValue: sweep.bestValue,
    snapshotId: snap.snapshotId,
  });
  fields.candidateVersionId = candidate.versionId;

  // Same holdout for both: re-score saved tfjs models when possible, else recorded metrics.
  let metricName = spec.metric.name;
  let goal = spec.metric.goal;
  let evaluation: { candidate: number | null; champion: number | null };
  if (canScoreOnHoldout(spec, candidate.artifact, champion?.artifact)) {
    const scores = await holdout.scoreOnHoldout({
      dataset: spec.dataset,
      candidateArtifact: candidate.artifact,
      championArtifact: champion!.artifact,
    });
    evaluation = scores;
    metricName = `${scores.split} accuracy (${scores.images} images)`;
    goal = 'maximize';
  } else if (patched(COMPARE_RECORDED_IN_WORKFLOW)) {
    evaluation = compareRecordedMetrics(sweep.bestValue, champion);
  } else {
    // Runs started before the patch recorded this pure step as an activity: replay it.
    evaluation = await retrain.evaluateOnHoldout({ candidate: sweep.bestValue, champion });
  }
  fields.candidateMetric = evaluation.candidate;
  fields.championMetric = evaluation.champion;

  const decision = decidePromotion({
    candidate: evaluation.candidate,
    champion: champion ? evaluation.champion : null,
    goal,
    margin: config.promoteMargin,
    metricName,
  });
  if (!decision.promote) return settle('kept', decision.reason);
  await retrain.promoteModelVersion({ versionId: candidate.versionId, reason: decision.reason });
  return settle('promoted', decision.reason);
}

/** Tells the webhook, retrying with backoff a bounded number of times; a failure is only logged. */
async function notify(
  config: RetrainConfig,
  result: RetrainResult,
  pacing: { initialIntervalMs: number; maximumAttempts: number },
): Promise<void> {
  if (!config.webhookUrl) return;
  const webhook = proxyActivities<RetrainActivities>({
    taskQueue: TASK_QUEUES.control,
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: pacing.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: pacing.maximumAttempts,
    },
  });
  const body: RetrainNotification = {
    event: 'retrain.finished',
    schedule: config.name,
    task: config.task,
    runId: result.runId,
    status: result.status,
    reason: result.reason,
    candidateMetric: result.candidateMetric,
    championMetric: result.championMetric,
    candidateVersionId: result.candidateVersionId,
  };
  try {
    await CancellationScope.nonCancellable(() => webhook.notifyWebhook(config.webhookUrl!, body));
  } catch (err) {
    log.warn('retrain webhook failed; the run is recorded regardless', {
      url: config.webhookUrl,
      error: errorMessage(err),
    });
  }
}
