import {
  Client,
  ScheduleNotFoundError,
  type ScheduleOptionsAction,
  type ScheduleOverlapPolicy,
} from '@temporalio/client';
import {
  RETRAIN_WORKFLOW_TYPE,
  retrainWorkflowIdPrefix,
  TASK_QUEUES,
  temporalScheduleParts,
  type RetrainScheduleView,
  type RetrainWorkflowInput,
} from '@retune/core';
import { UpstreamError } from '../domain/errors';
import { connectTemporal, type TemporalOptions } from './sweep-gateway';

export interface ScheduleState {
  /** Upcoming fire times (ISO), soonest first. */
  nextRunTimes: string[];
  paused: boolean;
  /** Retrain workflows of this schedule running now. */
  running: number;
}

/** What the domain needs from Temporal Schedules; router tests pass a fake. */
export interface ScheduleGateway {
  create(schedule: RetrainScheduleView): Promise<void>;
  /** Applies timing, policies and the paused flag of the row to its Temporal Schedule. */
  update(schedule: RetrainScheduleView): Promise<void>;
  pause(temporalScheduleId: string): Promise<void>;
  unpause(temporalScheduleId: string): Promise<void>;
  /** Deleting a schedule that Temporal no longer has is not an error. */
  delete(temporalScheduleId: string): Promise<void>;
  /**
   * Runs the schedule now. Without force it is an ordinary firing (the schedule's overlap
   * policy applies); with force a separate workflow starts at once (no overlap policy) and
   * trains even on an unchanged dataset.
   */
  trigger(
    schedule: RetrainScheduleView,
    opts: { force: boolean },
  ): Promise<{ workflowId: string | null }>;
  /** Null when Temporal has no such schedule. */
  describe(temporalScheduleId: string): Promise<ScheduleState | null>;
}

function action(s: RetrainScheduleView): ScheduleOptionsAction {
  const input: RetrainWorkflowInput = { scheduleId: s.id };
  return {
    type: 'startWorkflow',
    workflowType: RETRAIN_WORKFLOW_TYPE,
    workflowId: retrainWorkflowIdPrefix(s.id),
    taskQueue: TASK_QUEUES.control,
    args: [input],
  };
}

function parts(s: RetrainScheduleView) {
  const p = temporalScheduleParts(s);
  return {
    spec: p.spec,
    policies: { ...p.policies, overlap: p.policies.overlap as ScheduleOverlapPolicy },
  };
}

export function createTemporalScheduleGateway(client: Client): ScheduleGateway {
  const handle = (id: string) => client.schedule.getHandle(id);
  return {
    async create(s) {
      await client.schedule.create({
        scheduleId: s.temporalScheduleId,
        ...parts(s),
        action: action(s),
        state: { paused: s.paused, note: `retune schedule ${s.name}` },
        memo: { retuneScheduleId: s.id },
      });
    },
    async update(s) {
      await handle(s.temporalScheduleId).update((prev) => ({
        ...prev,
        ...parts(s),
        action: action(s),
        state: { ...prev.state, paused: s.paused },
      }));
    },
    pause: (id) => handle(id).pause('paused from Retune'),
    unpause: (id) => handle(id).unpause('resumed from Retune'),
    async delete(id) {
      try {
        await handle(id).delete();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    },
    async trigger(s, { force }) {
      if (!force) {
        // The SDK's default for a trigger is ALLOW_ALL; a manual firing obeys the schedule's policy.
        await handle(s.temporalScheduleId).trigger(parts(s).policies.overlap);
        return { workflowId: null };
      }
      const input: RetrainWorkflowInput = { scheduleId: s.id, force: true };
      const started = await client.workflow.start(RETRAIN_WORKFLOW_TYPE, {
        taskQueue: TASK_QUEUES.control,
        workflowId: `${retrainWorkflowIdPrefix(s.id)}-manual-${new Date().toISOString()}`,
        args: [input],
      });
      return { workflowId: started.workflowId };
    },
    async describe(id) {
      try {
        const d = await handle(id).describe();
        return {
          nextRunTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
          paused: d.state.paused,
          running: d.info.runningActions.length,
        };
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return null;
        throw err;
      }
    },
  };
}

export interface LazyScheduleGateway extends ScheduleGateway {
  close(): Promise<void>;
}

/**
 * Connects on first use (reads never wait on Temporal) and turns an unreachable server into an
 * UpstreamError; a failed connection is retried on the next use.
 */
export function createLazyTemporalScheduleGateway(opts: TemporalOptions): LazyScheduleGateway {
  let pending: Promise<{ client: Client; gateway: ScheduleGateway }> | undefined;
  const g = async () =>
    (
      await (pending ??= connectTemporal(opts).then(
        (client) => ({ client, gateway: createTemporalScheduleGateway(client) }),
        (err: unknown) => {
          pending = undefined;
          throw new UpstreamError(
            `cannot reach Temporal at ${opts.address} (${err instanceof Error ? err.message : String(err)})`,
          );
        },
      ))
    ).gateway;
  return {
    create: async (s) => (await g()).create(s),
    update: async (s) => (await g()).update(s),
    pause: async (id) => (await g()).pause(id),
    unpause: async (id) => (await g()).unpause(id),
    delete: async (id) => (await g()).delete(id),
    trigger: async (s, o) => (await g()).trigger(s, o),
    describe: async (id) => (await g()).describe(id),
    async close() {
      const current = pending;
      pending = undefined;
      const c = await current?.catch(() => undefined);
      await c?.client.connection.close();
    },
  };
}
