import { parseSweepSpec, SpecError, type SweepSpec } from './sweep-spec';
import { multiTaskParamIssues } from './multitask-params';
import { unknownTrainerParamIssues } from './trainer-params';

/**
 * What a new sweep must pass (API, CLI and dashboard form): a valid spec whose params its
 * built-in trainer knows. Stored specs are re-read with parseSweepSpec alone, so a rule added
 * here never makes an existing sweep unreadable.
 */
export function parseLaunchSpec(input: unknown): SweepSpec {
  const spec = parseSweepSpec(input);
  const issues = [...unknownTrainerParamIssues(spec), ...multiTaskParamIssues(spec)];
  if (issues.length > 0) throw new SpecError(issues);
  return spec;
}
