// Runs after every `npm install`: generate the Prisma clients (offline), then give
// @tensorflow/tfjs-node its native TensorFlow backend. tfjs-node's own install script is
// denied in package.json (`allowScripts`) because it downloads from outside the package
// registries; tools/tfjs-native builds the addon from PyPI's tensorflow-cpu wheel instead.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import './prisma-generate.mjs';

const native = spawnSync(
  process.execPath,
  [fileURLToPath(new URL('./tfjs-native/install.mjs', import.meta.url))],
  { stdio: 'inherit' },
);
if (native.status !== 0) {
  // Not fatal: everything but real training works without it, and the trainer refuses to
  // fall back to the pure-JS backend silently.
  console.warn(
    '\n[retune] WARNING: the native TensorFlow backend could not be installed (see above).\n' +
      '[retune] Training will use the slow pure-JS backend. Retry: node tools/tfjs-native/install.mjs\n',
  );
}
