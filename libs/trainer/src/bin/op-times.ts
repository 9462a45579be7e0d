/**
 * Where a tfjs-node step's time goes: every call of the native binding (`executeOp` runs one
 * TensorFlow eager kernel through TFE_Execute, synchronously on the JavaScript thread on the CPU)
 * timed while `run` runs, summed by op. What is not inside a binding call is JavaScript: tfjs's
 * engine, the gradient tape, tidy bookkeeping, the trainer's own code. bench-step --op-times.
 */
import type { Tf } from '../backend';

type Binding = Record<string, unknown>;

export function timeBindingCalls(tf: Tf, run: () => void, top = 15): string[] {
  const backend = tf.backend() as unknown as { binding?: Binding };
  const binding = backend.binding;
  if (!binding) return ['no native binding (pure-JS backend): nothing to time'];
  const byOp = new Map<string, { ms: number; calls: number }>();
  // The addon's object is read-only: the backend gets a stand-in (the addon's object as its
  // prototype) whose own properties time the calls.
  const standIn = Object.create(binding) as Binding;
  for (const key of ['executeOp', 'createTensor', 'deleteTensor', 'tensorDataSync']) {
    const f = binding[key] as (...a: unknown[]) => unknown;
    const value = (...args: unknown[]) => {
      const t = performance.now();
      try {
        return f.apply(binding, args);
      } finally {
        const name = key === 'executeOp' ? String(args[0]) : `(${key})`;
        const e = byOp.get(name) ?? { ms: 0, calls: 0 };
        e.ms += performance.now() - t;
        e.calls++;
        byOp.set(name, e);
      }
    };
    Object.defineProperty(standIn, key, { value });
  }
  backend.binding = standIn;
  const t = performance.now();
  try {
    run();
  } finally {
    backend.binding = binding;
  }
  const wall = performance.now() - t;
  const all = [...byOp.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inside = all.reduce((s, [, e]) => s + e.ms, 0);
  const kernels = all.filter(([k]) => !k.startsWith('(')).reduce((s, [, e]) => s + e.calls, 0);
  const pct = (ms: number) => `${((100 * ms) / wall).toFixed(1)} %`;
  return [
    `step ${wall.toFixed(0)} ms: ${kernels} kernels; inside binding calls ${inside.toFixed(0)} ms ` +
      `(${pct(inside)}), JavaScript between them ${(wall - inside).toFixed(0)} ms (${pct(wall - inside)}, ` +
      `${(((wall - inside) / kernels) * 1000).toFixed(0)} µs per kernel)`,
    ...all
      .slice(0, top)
      .map(
        ([k, e]) =>
          `  ${k.padEnd(40)} ${e.ms.toFixed(1).padStart(8)} ms ${pct(e.ms).padStart(7)} ` +
          `${String(e.calls).padStart(5)} calls ${((e.ms / e.calls) * 1000).toFixed(0).padStart(7)} µs/call`,
      ),
  ];
}
