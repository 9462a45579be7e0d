import type { RetrainScheduleView } from '@retune/core';
import type { ScheduleGateway, ScheduleState } from './schedule-gateway';

/** An in-memory ScheduleGateway for router and domain tests: records every call. */
export class FakeScheduleGateway implements ScheduleGateway {
  schedules = new Map<string, RetrainScheduleView>();
  calls: string[] = [];
  triggered: { id: string; force: boolean }[] = [];
  failWith: Error | null = null;

  private check(call: string) {
    this.calls.push(call);
    if (this.failWith) throw this.failWith;
  }
  async create(s: RetrainScheduleView) {
    this.check(`create ${s.temporalScheduleId}`);
    this.schedules.set(s.temporalScheduleId, s);
  }
  async update(s: RetrainScheduleView) {
    this.check(`update ${s.temporalScheduleId}`);
    this.schedules.set(s.temporalScheduleId, s);
  }
  async pause(id: string) {
    this.check(`pause ${id}`);
    const s = this.schedules.get(id);
    if (s) this.schedules.set(id, { ...s, paused: true });
  }
  async unpause(id: string) {
    this.check(`unpause ${id}`);
    const s = this.schedules.get(id);
    if (s) this.schedules.set(id, { ...s, paused: false });
  }
  async delete(id: string) {
    this.check(`delete ${id}`);
    this.schedules.delete(id);
  }
  async trigger(s: RetrainScheduleView, opts: { force: boolean }) {
    this.check(`trigger ${s.temporalScheduleId}`);
    this.triggered.push({ id: s.id, force: opts.force });
    return { workflowId: opts.force ? `retrain-${s.id}-manual` : null };
  }
  async describe(id: string): Promise<ScheduleState | null> {
    const s = this.schedules.get(id);
    if (!s) return null;
    return {
      nextRunTimes: s.paused ? [] : ['2030-01-01T03:00:00.000Z'],
      paused: s.paused,
      running: 0,
    };
  }
}
