"""Writes a synthetic embedding in word2vec binary format: N random words x
DIM dims (standard normal, seeded), for the nearest-word benchmark."""
import sys

import numpy as np

path, n, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(12345)
vecs = rng.standard_normal((n, dim), dtype=np.float32)
with open(path, "wb") as f:
    f.write(f"{n} {dim}\n".encode())
    for i in range(n):
        f.write(f"w{i} ".encode())
        f.write(vecs[i].astype("<f4").tobytes())
        f.write(b"\n")
