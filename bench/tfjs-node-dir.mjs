// Preloaded (node --import) by bench:trainer's children when --tfjs-node names another build of
// @tensorflow/tfjs-node (e.g. one against a different TensorFlow C library): every require of
// the package resolves to BENCH_TFJS_NODE_DIR instead. Its own dependencies (tfjs-core, …) still
// resolve from the repository's node_modules, so one tfjs engine is loaded.
import Module from 'node:module';

const dir = process.env.BENCH_TFJS_NODE_DIR;
if (dir) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request === '@tensorflow/tfjs-node') return resolve.call(this, dir, ...rest);
    if (request === '@tensorflow/tfjs-node/package.json')
      return resolve.call(this, `${dir}/package.json`, ...rest);
    return resolve.call(this, request, ...rest);
  };
}
