// Test trainer: behaves per its `mode` param so one sweep can mix good and broken trials.
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(process.argv[process.argv.length - 1], 'utf8'));
const mode = input.params.mode;
const say = (m) => process.stdout.write(JSON.stringify(m) + '\n');

say({ type: 'metric', epoch: 0, values: { val_acc: 0.5 } });
if (mode === 'garbage') {
  process.stdout.write('Epoch 1/3 - loss: 0.42\n');
  setTimeout(() => {}, 60_000);
} else if (mode === 'crash') {
  process.stderr.write('RuntimeError: CUDA error: out of memory\n');
  process.exit(1);
} else {
  say({ type: 'result', values: { val_acc: mode === 'good' ? 0.9 : 0.8 } });
}
