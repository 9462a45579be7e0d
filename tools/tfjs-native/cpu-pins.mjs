// Pins of the CPU build: PyPI's tensorflow-cpu wheels whose libtensorflow_cc.so.2 exports the
// C API without libpython (2.12 is the oldest). `--tf-version` of install.mjs picks one; the
// default is CPU_DEFAULT: 2.20.0, the GPU build's version, as fast as 2.12.1 or up to ~10 % faster
// on EfficientNet-Lite0 (docs/benchmarks.md "Trainer speed"). Sizes and sha256 of the files pip
// downloads.
export const CPU_PINS = {
  '2.20.0': {
    size: 258876263,
    sha256: 'cf756bbe2d256e942ab5d0ad2c858fb40017581494febdb4387c149b1afde780',
  },
  '2.12.1': {
    size: 231826663,
    sha256: '7ffb595707a8fb376deaddc768784c7a0242b16cbc6e06393b1733b2ce19f855',
  },
};
export const CPU_DEFAULT = '2.20.0';

/** The pinned wheel of tensorflow-cpu `version`, in the shape fetchPinnedWheel takes. */
export function cpuWheel(version) {
  const pin = CPU_PINS[version];
  if (!pin) {
    throw new Error(
      `--tf-version ${version}: no pinned tensorflow-cpu wheel (pinned: ${Object.keys(CPU_PINS).join(', ')})`,
    );
  }
  return {
    spec: `tensorflow-cpu==${version}`,
    file: `tensorflow_cpu-${version}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`,
    ...pin,
  };
}
