/**
 * What an audit row says about a call, from its raw input: the action (sweep.control is
 * recorded as the control it asks for: sweep.pause, sweep.extendBudget…), the object it names,
 * and a short detail. Specs and schedules are summarised by name; passwords (user.create) are
 * never written.
 */
export function auditFieldsOf(
  path: string,
  raw: unknown,
): { action: string; target: string | null; detail: string | null } {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const request = input['request'] as { action?: unknown } | undefined;
  const router = path.split('.')[0];
  const action = typeof request?.action === 'string' ? `${router}.${request.action}` : path;
  const named = (v: unknown) =>
    v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string'
      ? (v as { name: string }).name
      : null;
  const target =
    [input['id'], input['trialId'], input['userId'], input['name'], input['ref']].find(
      (v): v is string => typeof v === 'string',
    ) ??
    named(input['schedule']) ??
    named(input['spec']);
  const rest = Object.fromEntries(
    Object.entries(input).filter(([k]) => !['spec', 'schedule', 'id', 'password'].includes(k)),
  );
  const detail = Object.keys(rest).length ? JSON.stringify(rest).slice(0, 500) : null;
  return { action, target, detail };
}
