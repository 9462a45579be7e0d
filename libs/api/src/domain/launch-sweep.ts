import { randomBytes } from 'node:crypto';
import {
  GridError,
  parseSweepSpec,
  plannedTrialCount,
  SpecError,
  type SweepSpec,
  type SweepSummary,
} from '@retune/core';
import { policyOf } from './access/access-policy';
import { checkSpecAccess } from './access/check-spec-access';
import type { Actor } from './auth/api-tokens';
import type { DomainDeps } from './deps';
import { InvalidInputError, UpstreamError } from './errors';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newSweepId(): string {
  return 'sw_' + Array.from(randomBytes(10), (b) => ALPHABET[b % 36]).join('');
}

/**
 * Parses a sweep spec and counts its trials; an invalid spec (or a grid larger than maxTrials)
 * is an InvalidInputError naming each field. Callers may run it before connecting to anything.
 */
export function validateSweepSpec(specInput: unknown): {
  spec: SweepSpec;
  plannedTrials: number;
} {
  try {
    const spec = parseSweepSpec(specInput);
    return { spec, plannedTrials: plannedTrialCount(spec) };
  } catch (err) {
    if (err instanceof SpecError) throw new InvalidInputError(err.message, err.issues);
    if (err instanceof GridError) {
      const [path, ...rest] = err.message.split(': ');
      throw new InvalidInputError(err.message, [{ path: path ?? '', message: rest.join(': ') }]);
    }
    throw err;
  }
}

/**
 * Validates the spec and what it may run and read (checkSpecAccess, for `actor`), stores the
 * sweep and starts its workflow. Nothing is stored for an invalid or refused spec; a sweep whose
 * workflow could not start is kept, marked failed with the reason.
 */
export async function launchSweep(
  deps: DomainDeps,
  specInput: unknown,
  actor: Actor = 'local-operator',
): Promise<SweepSummary> {
  const { spec, plannedTrials } = validateSweepSpec(specInput);
  await checkSpecAccess(deps.repos, spec, actor, policyOf(deps));
  const id = newSweepId();
  const sweep = await deps.repos.sweeps.create({ id, name: spec.name, spec, plannedTrials });
  try {
    const { workflowId } = await deps.temporal.start({ sweepId: id, spec });
    await deps.repos.sweeps.setWorkflowId(id, workflowId);
    return { ...sweep, workflowId };
  } catch (err) {
    const reason = `could not start the sweep workflow: ${err instanceof Error ? err.message : String(err)}`;
    await deps.repos.sweeps.finish(id, {
      status: 'failed',
      bestTrialId: null,
      bestValue: null,
      error: reason,
    });
    throw new UpstreamError(
      `${reason} (is the Temporal server running and TEMPORAL_ADDRESS right?)`,
    );
  }
}
