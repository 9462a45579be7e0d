import { execFile } from 'node:child_process';

/** One reading of one GPU: busy share in percent and memory in use in MiB. */
export interface GpuSample {
  utilPercent: number;
  memoryUsedMb: number;
}

export interface GpuInfo {
  index: number;
  name: string;
}

/** The query the sampler runs (one line per GPU, no header, no units). */
export const SAMPLE_QUERY = [
  '--query-gpu=utilization.gpu,memory.used',
  '--format=csv,noheader,nounits',
];
export const LIST_QUERY = ['--query-gpu=index,name', '--format=csv,noheader'];

/**
 * Parses nvidia-smi's `utilization.gpu,memory.used` CSV line (e.g. "87, 10240"). A GPU that
 * cannot report a field prints "[N/A]" or "[Not Supported]": no sample then, never a zero.
 */
export function parseGpuSample(line: string): GpuSample | null {
  const fields = line.split(',').map((f) => f.trim());
  if (fields.length !== 2) return null;
  const [util, mem] = fields.map(Number) as [number, number];
  if (!Number.isFinite(util) || !Number.isFinite(mem) || fields.some((f) => f === '')) return null;
  return { utilPercent: util, memoryUsedMb: mem };
}

/** Parses `index,name` lines ("0, NVIDIA H100 80GB HBM3"); unreadable lines are skipped. */
export function parseGpuList(output: string): GpuInfo[] {
  return output
    .split('\n')
    .map((line) => /^\s*(\d+)\s*,\s*(.+?)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ index: Number(m[1]), name: m[2]! }));
}

/** Runs nvidia-smi once; resolves its stdout, or null when it is missing or fails. */
export function runNvidiaSmi(args: string[], timeoutMs = 10_000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
  });
}

/** The host's NVIDIA GPUs as nvidia-smi lists them; [] when there is no nvidia-smi or GPU. */
export async function listGpus(): Promise<GpuInfo[]> {
  const out = await runNvidiaSmi(LIST_QUERY);
  return out === null ? [] : parseGpuList(out);
}
