/**
 * `npm run test:reliability`: every fault, several times, in 40-trial sweeps on 2 GPU workers ×
 * 2 slots. Prints the fault table and exits non-zero when an invariant broke.
 *
 *   npm run test:reliability -- [--repetitions 3] [--trials 40] [--faults kill-gpu,hang]
 */
import { ensureTemporal } from '@retune/tools/temporal-cli';
import { formatFaultTable, summarise, type FaultName } from './harness/faults';
import { runFaultSuite } from './fault-suite';
import { netnsAvailable } from './harness/netns';
import { runScaleOut } from './scale-out';
import { buildDashboard } from './harness/stack';
import { scriptArg, scriptFlag } from '@retune/tools/script-args';

const FAULTS: Record<string, FaultName> = {
  'kill-gpu': 'kill -9 GPU worker',
  'kill-control': 'kill -9 control worker',
  'restart-temporal': 'kill -9 + restart Temporal',
  hang: 'trainer hangs (no output)',
  'postgres-down': 'PostgreSQL down 8 s',
  'restart-dashboard': 'kill -9 + restart dashboard',
  'cut-host': 'cut GPU host link (netns)',
};

const faults = scriptArg('faults', Object.keys(FAULTS).join(','))
  .split(',')
  .map((f) => {
    const fault = FAULTS[f.trim()];
    if (!fault) throw new Error(`unknown fault "${f}"; known: ${Object.keys(FAULTS).join(', ')}`);
    return fault;
  });

const temporalBin = await ensureTemporal((m) => console.log(`[temporal] ${m}`));
if (faults.includes('kill -9 + restart dashboard')) {
  console.log('building the dashboard for the restart fault…');
  await buildDashboard();
}
const repetitions = Number(scriptArg('repetitions', '3'));
const trials = Number(scriptArg('trials', '40'));
const verbose = scriptFlag('verbose');
const result = await runFaultSuite({
  temporalBin,
  faults: faults.filter((f) => f !== 'cut GPU host link (netns)'),
  repetitions,
  shape: { trials, epochs: 10, sleepMs: 250, maxParallel: 4 },
  log: (line) => console.log(line),
  verbose,
});
if (faults.includes('cut GPU host link (netns)')) {
  const reason = netnsAvailable();
  if (reason) result.skipped.push({ fault: 'cut GPU host link (netns)', reason });
  for (let rep = 1; !reason && rep <= repetitions; rep++) {
    const started = Date.now();
    const r = await runScaleOut({
      temporalBin,
      shape: { trials, epochs: 14, sleepMs: 300, maxParallel: 4 },
      log: (line) => console.log(line),
      verbose,
    });
    // A moved trial that did not finish on the surviving host is a failure too.
    const stranded = r.cutTrials.filter((t) => t.finishedOn !== r.survivorWorker);
    if (stranded.length) r.problems.push(`${stranded.length} cut trial(s) not finished elsewhere`);
    console.log(
      `cut GPU host link #${rep} (${r.database}): sweep ${r.sweepStatus}, lost ${r.lost}, ` +
        `moved ${r.cutTrials.length}, recovery ${r.recoveryMs} ms`,
    );
    result.runs.push({
      ...r,
      fault: 'cut GPU host link (netns)',
      injected: 1,
      durationMs: Date.now() - started,
    });
  }
}
console.log('\n' + formatFaultTable(summarise(result.runs)));
for (const s of result.skipped) console.log(`skipped ${s.fault}: ${s.reason}`);
const broken = result.runs.filter((r) => r.problems.length > 0);
for (const r of broken) console.log(`FAILED ${r.fault} (${r.sweepId}): ${r.problems.join('; ')}`);
process.exit(broken.length > 0 ? 1 : 0);
