// Sums vitest's per-project "Tests  N passed | M failed" lines and pytest's closing
// "== N passed, M skipped in 1.2s ==" line into one closing "N passed, M failed" line, the
// format CI reads.
import { readFileSync } from 'node:fs';

// eslint-disable-next-line no-control-regex -- stripping ANSI colour codes
const text = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of text.split('\n')) {
  const m =
    line.match(/^\s*Tests\s+(.*)\(\d+\)\s*$/) ??
    line.match(/^(?:=+ )?(\d+ (?:passed|failed|skipped|error).*) in [\d.]+s/);
  if (!m) continue;
  passed += Number(m[1].match(/(\d+) passed/)?.[1] ?? 0);
  failed += Number(m[1].match(/(\d+) failed/)?.[1] ?? 0);
  skipped += Number(m[1].match(/(\d+) skipped/)?.[1] ?? 0);
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
