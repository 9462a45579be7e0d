import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseTrainerLine, type TrainerMessage } from '@retune/core';
import { nonFiniteHint } from './non-finite-hint';
import { killGroup as killProcessGroup, signalNumber } from './kill-group';
import { OutputTail } from './output-tail';
import type { RunAs } from './run-as';

export interface TrainerProcessOptions {
  command: string[];
  cwd?: string;
  /** The child's complete environment (the caller decides what it inherits). */
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  onMessage: (message: TrainerMessage) => void | Promise<void>;
  /** Time between SIGTERM and SIGKILL when stopping the trainer. */
  killGraceMs?: number;
  /** Another OS user to run as (the worker must be root or hold CAP_SETUID/CAP_SETGID). */
  runAs?: RunAs;
}

export type TrainerProcessResult =
  | { kind: 'exited'; exitCode: number; stderrTail: string }
  | { kind: 'protocol-error'; error: string; stderrTail: string }
  | { kind: 'spawn-error'; error: string }
  | { kind: 'aborted'; stderrTail: string };

/**
 * Runs a trainer as its own process group, feeding each parsed stdout line to onMessage.
 * The group is killed on abort or on the first protocol error, so grandchildren
 * (e.g. a Python trainer's data loaders) never outlive the trial.
 */
export function runTrainerProcess(opts: TrainerProcessOptions): Promise<TrainerProcessResult> {
  const [exe, ...args] = opts.command;
  if (!exe) return Promise.resolve({ kind: 'spawn-error', error: 'empty trainer command' });
  if (opts.signal.aborted) return Promise.resolve({ kind: 'aborted', stderrTail: '' });

  return new Promise((resolve) => {
    const child = spawn(exe, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(opts.runAs ? { uid: opts.runAs.uid, gid: opts.runAs.gid } : {}),
    });
    const stderr = new OutputTail();
    let protocolError: string | null = null;
    let spawnError: string | null = null;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    let pending: Promise<void> = Promise.resolve();

    const killGroup = () => {
      killTimer ??= killProcessGroup(child, opts.killGraceMs ?? 5000);
    };

    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });

    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError =
        err.code === 'ENOENT'
          ? `trainer command not found: ${exe} (check the sweep's trainer.command and the worker's PATH)`
          : `could not start trainer ${exe}: ${err.message}`;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => stderr.push(d));

    let lineNumber = 0;
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      lineNumber++;
      if (protocolError !== null || aborted) return;
      const parsed = parseTrainerLine(line, lineNumber);
      if (parsed.kind === 'error') {
        protocolError = parsed.error + nonFiniteHint(line);
        killGroup();
      } else if (parsed.kind === 'message') {
        const message = parsed.message;
        // Serialise handlers so DB writes keep trainer order.
        pending = pending
          .then(() => opts.onMessage(message))
          .catch((err: unknown) => {
            protocolError = `handling trainer output failed: ${err instanceof Error ? err.message : String(err)}`;
            killGroup();
          });
      }
    });

    child.on('close', (code, sig) => {
      opts.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      void pending.then(() => {
        const stderrTail = stderr.text();
        if (spawnError !== null) resolve({ kind: 'spawn-error', error: spawnError });
        else if (aborted) resolve({ kind: 'aborted', stderrTail });
        else if (protocolError !== null)
          resolve({ kind: 'protocol-error', error: protocolError, stderrTail });
        else
          resolve({
            kind: 'exited',
            exitCode: code ?? (sig ? 128 + signalNumber(sig) : 1),
            stderrTail,
          });
      });
    });
  });
}
