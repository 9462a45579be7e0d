import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  parseTrainerLine,
  serveTrialLine,
  TRAINER_MODE_ENV,
  TRAINER_SERVE_MODE,
  type TrainerInput,
  type TrainerMessage,
} from '@retune/core';
import { killGroup, signalNumber } from './kill-group';
import { nonFiniteHint } from './non-finite-hint';
import { OutputTail } from './output-tail';
import type { TrainerProcessResult } from './run-trainer-process';
import type { RunAs } from './run-as';

export interface ServingTrainerOptions {
  command: string[];
  cwd?: string;
  env: Record<string, string | undefined>;
  runAs?: RunAs;
}

export interface ServedTrialOptions {
  input: TrainerInput;
  signal: AbortSignal;
  onMessage: (message: TrainerMessage) => void | Promise<void>;
  killGraceMs?: number;
}

/** A trial's end, and whether the process may take another one. */
export interface ServedTrial {
  run: TrainerProcessResult;
  reusable: boolean;
}

interface CurrentTrial {
  stderr: OutputTail;
  lineNumber: number;
  pending: Promise<void>;
  protocolError: string | null;
  aborted: boolean;
  /** Its result line came: anything after it breaks the protocol. */
  ended: boolean;
  onMessage: ServedTrialOptions['onMessage'];
  finish: (trial: ServedTrial) => void;
}

/**
 * One trainer process in serve mode (docs/trainer-reuse.md): started once, in its own process
 * group like a per-trial trainer, it takes trials one at a time on stdin. A trial ends with its
 * `result` line (the process stays for the next one) or with the process's end (it does not).
 * Cancellation, a protocol error or a failure end the process exactly as they end a per-trial one.
 */
export class ServingTrainer {
  readonly child: ChildProcess;
  private current: CurrentTrial | null = null;
  private spawnError: string | null = null;
  private closed = false;
  private killTimer: NodeJS.Timeout | undefined;
  /** The running trial's grace between SIGTERM and SIGKILL. */
  private killGraceMs = 5000;
  private stopping = false;
  private readonly closedPromise: Promise<void>;

  constructor(opts: ServingTrainerOptions) {
    const [exe, ...args] = opts.command;
    if (!exe) throw new Error('empty trainer command');
    this.child = spawn(exe, args, {
      cwd: opts.cwd,
      env: { ...opts.env, [TRAINER_MODE_ENV]: TRAINER_SERVE_MODE },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      ...(opts.runAs ? { uid: opts.runAs.uid, gid: opts.runAs.gid } : {}),
    });
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      this.spawnError =
        err.code === 'ENOENT'
          ? `trainer command not found: ${exe} (check the sweep's trainer.command and the worker's PATH)`
          : `could not start trainer ${exe}: ${err.message}`;
    });
    // A dead trainer's stdin refuses our next write; its 'close' reports the trial's end.
    this.child.stdin?.on('error', () => undefined);
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (d: string) => this.current?.stderr.push(d));
    const lines = createInterface({ input: this.child.stdout!, crlfDelay: Infinity });
    lines.on('line', (line) => this.onLine(line));
    this.closedPromise = new Promise((resolve) => {
      this.child.on('close', (code, sig) => {
        this.closed = true;
        if (this.killTimer) clearTimeout(this.killTimer);
        this.onClose(code, sig);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Running and fit for another trial (not being stopped). */
  get alive(): boolean {
    return !this.closed && !this.stopping && this.spawnError === null;
  }

  /** Resident memory of the trainer process in MiB (null once it is gone). */
  rssMb(): number | null {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+)/m.exec(status)?.[1];
      return kb === undefined ? null : Number(kb) / 1024;
    } catch {
      return null;
    }
  }

  /** Runs one trial; never called while another runs. */
  runTrial(opts: ServedTrialOptions): Promise<ServedTrial> {
    if (this.current) throw new Error('a serving trainer runs one trial at a time');
    if (opts.signal.aborted) {
      return Promise.resolve({ run: { kind: 'aborted', stderrTail: '' }, reusable: this.alive });
    }
    return new Promise((resolve) => {
      const grace = opts.killGraceMs ?? 5000;
      const onAbort = () => {
        trial.aborted = true;
        this.kill(grace);
      };
      const trial: CurrentTrial = {
        stderr: new OutputTail(),
        lineNumber: 0,
        pending: Promise.resolve(),
        protocolError: null,
        aborted: false,
        ended: false,
        onMessage: opts.onMessage,
        finish: (served) => {
          opts.signal.removeEventListener('abort', onAbort);
          this.current = null;
          resolve(served);
        },
      };
      this.current = trial;
      opts.signal.addEventListener('abort', onAbort, { once: true });
      if (!this.alive) {
        this.onClose(this.child.exitCode, this.child.signalCode);
        return;
      }
      this.killGraceMs = grace;
      this.child.stdin!.write(serveTrialLine(opts.input));
    });
  }

  private kill(graceMs: number): void {
    this.stopping = true;
    this.killTimer ??= killGroup(this.child, graceMs);
  }

  /** Ends the process: asks it to stop (stdin closes), then the group is killed after graceMs. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.closed) {
      this.stopping = true;
      this.child.stdin?.end();
      const timer = setTimeout(() => this.kill(graceMs), graceMs);
      timer.unref();
      await this.closedPromise;
      clearTimeout(timer);
    }
  }

  private onLine(line: string): void {
    const trial = this.current;
    if (!trial || trial.ended) {
      // Output after a result breaks the one-trial-at-a-time contract: replace the process.
      if (line.trim() !== '') this.kill(this.killGraceMs);
      return;
    }
    trial.lineNumber++;
    if (trial.protocolError !== null || trial.aborted) return;
    const parsed = parseTrainerLine(line, trial.lineNumber);
    if (parsed.kind === 'error') {
      trial.protocolError = parsed.error + nonFiniteHint(line);
      this.kill(this.killGraceMs);
    } else if (parsed.kind === 'message') {
      const message = parsed.message;
      // Serialised so DB writes keep trainer order, as with a process per trial.
      trial.pending = trial.pending
        .then(() => trial.onMessage(message))
        .catch((err: unknown) => {
          trial.protocolError = `handling trainer output failed: ${err instanceof Error ? err.message : String(err)}`;
          this.kill(this.killGraceMs);
        });
      if (message.type === 'result') {
        trial.ended = true;
        void trial.pending.then(() => {
          if (trial.protocolError !== null || trial.aborted || this.current !== trial) return;
          trial.finish({
            run: { kind: 'exited', exitCode: 0, stderrTail: trial.stderr.text() },
            reusable: this.alive,
          });
        });
      }
    }
  }

  private onClose(code: number | null, sig: NodeJS.Signals | null): void {
    const trial = this.current;
    if (!trial) return;
    void trial.pending.then(() => {
      if (this.current !== trial) return;
      const stderrTail = trial.stderr.text();
      let run: TrainerProcessResult;
      if (this.spawnError !== null) run = { kind: 'spawn-error', error: this.spawnError };
      else if (trial.aborted) run = { kind: 'aborted', stderrTail };
      else if (trial.protocolError !== null)
        run = { kind: 'protocol-error', error: trial.protocolError, stderrTail };
      else
        run = { kind: 'exited', exitCode: code ?? (sig ? 128 + signalNumber(sig) : 1), stderrTail };
      trial.finish({ run, reusable: false });
    });
  }
}
