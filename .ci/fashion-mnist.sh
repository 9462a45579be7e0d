#!/usr/bin/env bash
# Installs Debian's Fashion-MNIST (if missing) for the demo:fashion* datasets, and prints its
# folder as the last line. Idempotent. Without root, the trainer fetches the same package at
# first use instead (apt-get download + dpkg-deb -x into its data cache; see
# libs/trainer/src/data/fashion-mnist.ts).
set -euo pipefail
dir=/usr/share/datasets/fashion-mnist
if [ ! -f "$dir/train-images-idx3-ubyte.gz" ]; then
  echo "installing dataset-fashion-mnist from Debian…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dataset-fashion-mnist >&2
fi
echo "$dir"
