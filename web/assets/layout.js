// embedlab serve: the projector's UMAP layout, run in a Web Worker so that
// the page never waits on it. Written here (no library): the server sends
// each word's k nearest neighbours by cosine (/api/knn, web/api_knn.c); this
// turns them into UMAP's fuzzy graph and lays it out by UMAP's edge-sampling
// stochastic gradient descent with negative sampling, posting progress and
// the positions so far every ~250 ms.
//
// In:  {n, k, nbr: Int32Array(n*k), sim: Float32Array(n*k), epochs, seed}
// Out: {type: 'progress', epoch, epochs, xy: Float32Array(2n)} ... then
//      {type: 'done', epoch, epochs, xy}
'use strict';

// A small seeded generator (xorshift32): the same layout for the same graph.
function rng(seed) {
  let s = (seed >>> 0) || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

// The fuzzy graph: for word i, rho the distance to its nearest neighbour and
// sigma such that sum_j exp(-(d_ij - rho) / sigma) = log2(k); an edge i->j
// weighs exp(-(d_ij - rho) / sigma), and the two directions combine as
// a + b - ab. Distances are 1 - cosine. Returns the edge list.
function fuzzyGraph(n, k, nbr, sim) {
  const target = Math.log2(k), w = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let rho = Infinity;
    for (let t = 0; t < k; t++) rho = Math.min(rho, 1 - sim[base + t]);
    let lo = 0, hi = Infinity, sigma = 1;
    for (let it = 0; it < 64; it++) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += Math.exp(-Math.max(0, 1 - sim[base + t] - rho) / sigma);
      if (Math.abs(sum - target) < 1e-5) break;
      if (sum > target) { hi = sigma; sigma = (lo + hi) / 2; } else { lo = sigma; sigma = hi === Infinity ? sigma * 2 : (lo + hi) / 2; }
    }
    sigma = Math.max(sigma, 1e-3 * 0.1);
    for (let t = 0; t < k; t++) w[base + t] = Math.exp(-Math.max(0, 1 - sim[base + t] - rho) / sigma);
  }
  const edges = new Map(); // key i*n+j with i < j
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = nbr[i * k + t];
      if (j < 0 || j >= n || j === i) continue;
      const key = i < j ? i * n + j : j * n + i;
      const e = edges.get(key);
      if (e === undefined) edges.set(key, w[i * k + t]);
      else edges.set(key, e + w[i * k + t] - e * w[i * k + t]);
    }
  }
  const m = edges.size, head = new Int32Array(m), tail = new Int32Array(m), weight = new Float32Array(m);
  let e = 0;
  for (const [key, v] of edges) { head[e] = Math.floor(key / n); tail[e] = key % n; weight[e] = v; e++; }
  return { m, head, tail, weight };
}

// UMAP's low-dimensional curve 1 / (1 + a d^2b) for min_dist 0.1, spread 1.
const A = 1.577, B = 0.8951;
const clip = (g) => (g > 4 ? 4 : g < -4 ? -4 : g);

// Lays out graph g in 2-D: epochs of SGD, each edge sampled in proportion to
// its weight, each sample followed by negative samples pushing apart.
function layout(n, g, epochs, seed, report) {
  const rand = rng(seed), xy = new Float32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) xy[i] = rand() * 20 - 10;
  let wmax = 0;
  for (let e = 0; e < g.m; e++) wmax = Math.max(wmax, g.weight[e]);
  const every = new Float32Array(g.m), next = new Float32Array(g.m), everyNeg = new Float32Array(g.m),
    nextNeg = new Float32Array(g.m), NEG = 5;
  for (let e = 0; e < g.m; e++) {
    every[e] = g.weight[e] > 0 ? wmax / g.weight[e] : Infinity;
    next[e] = every[e]; everyNeg[e] = every[e] / NEG; nextNeg[e] = everyNeg[e];
  }
  for (let ep = 0; ep < epochs; ep++) {
    const alpha = 1 - ep / epochs;
    for (let e = 0; e < g.m; e++) {
      if (next[e] > ep) continue;
      const i = g.head[e], j = g.tail[e];
      let dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const c = (-2 * A * B * Math.pow(d2, B - 1)) / (1 + A * Math.pow(d2, B));
        const gx = clip(c * dx) * alpha, gy = clip(c * dy) * alpha;
        xy[2 * i] += gx; xy[2 * i + 1] += gy; xy[2 * j] -= gx; xy[2 * j + 1] -= gy;
      }
      next[e] += every[e];
      const negs = Math.floor((ep - nextNeg[e]) / everyNeg[e]);
      for (let s = 0; s < negs; s++) {
        const r = Math.floor(rand() * n);
        if (r === i) continue;
        dx = xy[2 * i] - xy[2 * r]; dy = xy[2 * i + 1] - xy[2 * r + 1];
        d2 = dx * dx + dy * dy;
        const c = d2 > 0 ? (2 * B) / ((0.001 + d2) * (1 + A * Math.pow(d2, B))) : 0;
        xy[2 * i] += (c > 0 ? clip(c * dx) : 4) * alpha; xy[2 * i + 1] += (c > 0 ? clip(c * dy) : 4) * alpha;
      }
      nextNeg[e] += negs * everyNeg[e];
    }
    report(ep + 1, xy);
  }
  return xy;
}

self.onmessage = (msg) => {
  const { n, k, nbr, sim, epochs, seed } = msg.data;
  const g = fuzzyGraph(n, k, nbr, sim);
  let last = 0;
  const xy = layout(n, g, epochs, seed || 1, (ep, pos) => {
    const now = Date.now();
    if (now - last < 250 && ep < epochs) return;
    last = now;
    self.postMessage({ type: 'progress', epoch: ep, epochs, xy: pos.slice() });
  });
  self.postMessage({ type: 'done', epoch: epochs, epochs, xy });
};
