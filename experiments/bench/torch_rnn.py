"""The PyTorch peer for `make bench`: the same classifier, data, batch size
and thread count as `embedlab train`, timed per epoch (a training pass over
the training reviews plus a validation pass, as embedlab's epoch).

Input: `embedlab data dump --labels --indices` files (train, test).
Prints one JSON line: mean and min epoch seconds, validation accuracy, BLAS.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("train")
ap.add_argument("--cell", default="rnn")
ap.add_argument("--input", default="embed")
ap.add_argument("--vocab", type=int, default=500)
ap.add_argument("--dim", type=int, default=16)
ap.add_argument("--units", type=int, default=8)
ap.add_argument("--layers", type=int, default=1)
ap.add_argument("--dropout", type=float, default=0.0)
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--lr", type=float, default=1e-4)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


def load(path):
    ys, xs = [], []
    with open(path) as f:
        for line in f:
            y, x = line.split("\t")
            ys.append(float(y))
            xs.append(np.array(x.split(), dtype=np.int64))
    return torch.tensor(np.stack(xs)), torch.tensor(ys)


x, y = load(a.train)
perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(a.seed))
nval = len(y) // 5
xv, yv, xt, yt = x[perm[:nval]], y[perm[:nval]], x[perm[nval:]], y[perm[nval:]]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.onehot = a.input == "onehot"
        width = a.vocab if self.onehot else a.dim
        if not self.onehot:
            self.embed = nn.Embedding(a.vocab, a.dim)
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[a.cell]
        self.cells = nn.ModuleList([cls(width if i == 0 else a.units, a.units, batch_first=True)
                                    for i in range(a.layers)])
        self.drop = nn.Dropout(a.dropout)
        self.head = nn.Linear(a.units, 1)

    def forward(self, tokens):
        # One-hot is materialised per batch, as a PyTorch user would write it.
        h = F.one_hot(tokens, a.vocab).float() if self.onehot else self.embed(tokens)
        for cell in self.cells:
            h, _ = cell(self.drop(h) if a.dropout > 0 else h)
        return self.head(h[:, -1]).squeeze(1)


net = Net()
opt = torch.optim.RMSprop(net.parameters(), lr=a.lr, alpha=0.9, eps=1e-7)
loss_fn = nn.BCEWithLogitsLoss()
times, val_acc = [], 0.0
for epoch in range(a.epochs):
    t0 = time.perf_counter()
    net.train()
    order = torch.randperm(len(yt))
    for i in range(0, len(yt), a.batch):
        idx = order[i:i + a.batch]
        opt.zero_grad()
        loss = loss_fn(net(xt[idx]), yt[idx])
        loss.backward()
        opt.step()
    net.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(yv), 256):
            right += ((net(xv[i:i + 256]) > 0).float() == yv[i:i + 256]).sum().item()
    val_acc = right / len(yv)
    times.append(time.perf_counter() - t0)
blas = "unknown"
try:
    import subprocess
    out = subprocess.run(["update-alternatives", "--query", "libblas.so.3-x86_64-linux-gnu"],
                         capture_output=True, text=True).stdout
    blas = next((l.split(": ", 1)[1] for l in out.splitlines() if l.startswith("Value:")), blas)
except Exception:
    pass
print(json.dumps({"peer": "torch " + torch.__version__, "epoch_mean": sum(times) / len(times),
                  "epoch_min": min(times), "val_acc": val_acc, "blas": blas}))
