/**
 * Outcome constraints as the new-sweep form writes them, one a line: `trainable_params <= 1e6`,
 * `val_acc >= 0.8` (both bounds of one value go in one entry). A line the form cannot read goes
 * to the spec as `{ name: <line> }`, so the schema names it (a constraint needs max or min).
 */

export interface ConstraintEntry {
  name: string;
  max?: number;
  min?: number;
}

const LINE = /^\s*([^<>=\s]+)\s*(<=|>=)\s*(\S+)\s*$/;

export function parseConstraintLines(text: string): ConstraintEntry[] {
  const out: ConstraintEntry[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const m = LINE.exec(raw);
    const bound = m ? Number(m[3]) : NaN;
    if (!m || !Number.isFinite(bound)) {
      out.push({ name: raw.trim() });
      continue;
    }
    const name = m[1]!;
    let entry = out.find((c) => c.name === name);
    if (!entry) out.push((entry = { name }));
    if (m[2] === '<=') entry.max = bound;
    else entry.min = bound;
  }
  return out;
}

export function formatConstraintLines(constraints: unknown): string {
  if (!Array.isArray(constraints)) return '';
  return constraints
    .flatMap((c: { name?: unknown; max?: unknown; min?: unknown }) => [
      ...(c.min !== undefined ? [`${String(c.name)} >= ${String(c.min)}`] : []),
      ...(c.max !== undefined ? [`${String(c.name)} <= ${String(c.max)}`] : []),
    ])
    .join('\n');
}
