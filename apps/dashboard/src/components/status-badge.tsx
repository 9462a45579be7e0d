import type { SweepStatus, TrialStatus } from '@retune/core';
import { statusTone } from '../lib/format';

export function StatusBadge({ status }: { status: SweepStatus | TrialStatus }) {
  return <span className={`badge ${statusTone(status)}`}>{status}</span>;
}
