import type { PlannedTrial } from '@retune/core';

/**
 * The patch id: sweeps started before it launch a trial only when a slot is free, so every
 * slot waits a workflow task, an activity dispatch and the activity's start between trials.
 */
export const PIPELINED_SLOTS_PATCH = 'pipelined-slots';

interface Lane {
  /** The trial that trains (or is about to: its predecessor has ended). */
  head: PlannedTrial;
  /** The workflow's clock when the head took the lane (its predecessor ended). */
  since: number;
  /** Launched behind the head: its runTrial waits on the GPU worker until the head ends. */
  next?: PlannedTrial;
}

/**
 * Pipelined slots (docs/pipelined-slots.md): maxParallel lanes, each with at most one trial
 * training and one launched behind it (`after` its predecessor). The GPU worker starts the
 * successor the moment its predecessor ends, so no workflow round trip sits between two trials
 * of a slot, while maxParallel stays a hard cap on trials training at once: a trial trains only
 * after the one ahead of it in its lane has ended, on whichever worker each runs.
 */
export class SlotLanes {
  private readonly lanes: (Lane | undefined)[];

  constructor(readonly size: number) {
    this.lanes = new Array<Lane | undefined>(size).fill(undefined);
  }

  /** Trials launched at most: one training and one waiting per lane. */
  get capacity(): number {
    return 2 * this.size;
  }

  /** Lanes with a trial training: what progress counts as running. */
  get training(): number {
    return this.lanes.filter((l) => l !== undefined).length;
  }

  /**
   * Places a launched trial: in an empty lane (it starts at once), else behind a lane's head.
   * Returns the trialId it must wait for, if any.
   */
  place(trial: PlannedTrial): string | undefined {
    const empty = this.lanes.indexOf(undefined);
    if (empty >= 0) {
      this.lanes[empty] = { head: trial, since: Date.now() };
      return undefined;
    }
    const lane = this.lanes.find((l) => l && !l.next);
    if (!lane) throw new Error(`all ${this.size} lanes are full: launch no more than capacity`);
    lane.next = trial;
    return lane.head.trialId;
  }

  /**
   * When the trial took its lane (the workflow's clock, deterministic); undefined while it
   * waits behind another. What a trial that reports no GPU time is charged from.
   */
  since(number: number): number | undefined {
    return this.lanes.find((l) => l?.head.number === number)?.since;
  }

  /** A launched trial ended (any outcome): a head's successor takes its place. */
  remove(number: number): void {
    const i = this.lanes.findIndex(
      (l) => l && (l.head.number === number || l.next?.number === number),
    );
    const lane = this.lanes[i];
    if (!lane) return;
    if (lane.next?.number === number) delete lane.next;
    else this.lanes[i] = lane.next ? { head: lane.next, since: Date.now() } : undefined;
  }
}
