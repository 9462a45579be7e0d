// Pins of the GPU build: PyPI's tensorflow 2.20.0 (CUDA 12.5 / cuDNN 9, SASS up to sm_90) and
// the nvidia-*-cu12 wheels of its `[and-cuda]` extra. Sizes and sha256 of the files pip
// downloads (the tensorflow one matches the checked recipe in /work/shared/REAL-MODELS.md).
export const TF_GPU_VERSION = '2.20.0';
export const TFJS_NODE_GPU_VERSION = '4.22.0';

export const TF_WHEEL = {
  spec: `tensorflow==${TF_GPU_VERSION}`,
  file: `tensorflow-${TF_GPU_VERSION}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`,
  size: 620570129,
  sha256: '481499fd0f824583de8945be61d5e827898cdaa4f5ea1bc2cc28ca2ccff8229e',
};

/** `lib` is the wheel's folder under nvidia/ (cuDNN's RUNPATH expects nvrtc/, see install-gpu). */
const cuda = (name, version, size, sha256, lib) => ({
  spec: `${name}==${version}`,
  file: `${name.replaceAll('-', '_')}-${version}-py3-none-manylinux2014_x86_64.whl`,
  size,
  sha256,
  lib,
});

export const CUDA_WHEELS = [
  cuda(
    'nvidia-cublas-cu12',
    '12.5.3.2',
    363313169,
    'ca070ad70e9fa6654084575d01bd001f30cc4665e33d4bb9fc8e0f321caa034b',
    'cublas',
  ),
  cuda(
    'nvidia-cuda-runtime-cu12',
    '12.5.82',
    895707,
    '3e79a060e126df40fd3a068f3f787eb000fa51b251ec6cd97d09579632687115',
    'cuda_runtime',
  ),
  cuda(
    'nvidia-cudnn-cu12',
    '9.3.0.75',
    577163502,
    '9ad9c6929ebb5295eb4a1728024666d1c88283373e265a0c5c883e6f9d5cd76d',
    'cudnn',
  ),
  cuda(
    'nvidia-cufft-cu12',
    '11.2.3.61',
    192524114,
    '9a6e8df162585750f61983a638104a48c756aa13f9f48e19ab079b38e3c828b8',
    'cufft',
  ),
  cuda(
    'nvidia-cusolver-cu12',
    '11.6.3.83',
    130341232,
    '93cfafacde4428b71778eeb092ec615a02a3d05404da1bcf91c53e3fa1bce42b',
    'cusolver',
  ),
  cuda(
    'nvidia-cusparse-cu12',
    '12.5.1.3',
    217558979,
    '016df8e993c437e8301e62739f01775cba988fd5253cd4c64173f8e8d2f8e752',
    'cusparse',
  ),
  cuda(
    'nvidia-nvjitlink-cu12',
    '12.5.82',
    21298879,
    'f9b37bc5c8cf7509665cb6ada5aaa0ce65618f2332b7d3e78e9790511f111212',
    'nvjitlink',
  ),
  cuda(
    'nvidia-cuda-nvrtc-cu12',
    '12.5.82',
    24873108,
    '3dbd97b0104b4bfbc3c4f8c79cd2496307c89c43c29a9f83125f1d76296ff3fd',
    'cuda_nvrtc',
  ),
];

export const TF_LIBS = [
  {
    member: 'tensorflow/libtensorflow_cc.so.2',
    file: 'libtensorflow_cc.so.2',
    linkName: 'libtensorflow.so',
  },
  {
    member: 'tensorflow/libtensorflow_framework.so.2',
    file: 'libtensorflow_framework.so.2',
    linkName: 'libtensorflow_framework.so',
  },
];

/** Headers the binding includes, under tensorflow/include/ in the wheel (2.20 moved tsl/xla). */
export const TF_HEADER_PREFIXES = [
  'tensorflow/c/',
  'tensorflow/core/platform/ctstring',
  'tensorflow/tsl/c/',
  'tensorflow/tsl/platform/ctstring',
  'tsl/platform/ctstring',
  'xla/tsl/c/',
];
