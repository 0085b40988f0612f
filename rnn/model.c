/* rnn/model.c: layout, initialisation, and the forward and backward pass of
 * a chunk of sequences.
 *
 * Cost model. Per layer and step, the recurrent product h_prev U is a
 * (B x u) x (u x G u) GEMM; the input products x W for all steps are one
 * (T B x in) x (in x G u) GEMM, as are the weight gradients after the
 * backward sweep (x^T dzx, h_prev^T dzh). Under one-hot input the first
 * product is a row gather of W and its gradient a row scatter. */
#include "rnn/model.h"

#include <stdlib.h>
#include <string.h>

#include "core/blas.h"
#include "core/common.h"
#include "core/fastmath.h"
#include "core/rng.h"

struct Work {
    int T;
    int B;                   /* sequences in the current chunk */
    int32_t *tok;            /* [T x B] time-major */
    uint8_t *valid;          /* [T x B] token != 0 */
    real *x0;                /* [T x B x dim] embedded (and dropped-out) input */
    real *xin[MAX_LAYERS];   /* [T x B x in] input of layer l (x0 for the embedding layer) */
    real *dmask[MAX_LAYERS]; /* [B x in] input dropout, scaled */
    real *cat[MAX_LAYERS];   /* [T x B x 2u] a bidirectional layer's output */
    real *dcat;              /* [T x B x 2u] dL/d(a bidirectional layer's output) */
    /* Per cell (slot l * dirs + d): */
    real *rmask[MAX_SLOTS];               /* [B x u] recurrent dropout, scaled */
    real *zx[MAX_SLOTS], *dzx[MAX_SLOTS]; /* [T x B x G u] */
    real *dzh[MAX_SLOTS];                 /* [T x B x G u]; dzx itself for a cell that sums_z (rnn/cell.h) */
    real *h[MAX_SLOTS], *c[MAX_SLOTS], *hpm[MAX_SLOTS], *dh[MAX_SLOTS]; /* [T x B x u], step t at row t */
    real *cache[MAX_SLOTS];
    real *zstep;   /* [B x G u] one step's h_prev U (a cell without sums_z), the backward's scratch */
    real *ut;      /* [G u x u] U transposed, so dzh U^T runs along rows */
    real *wt;      /* [G u x max in] a cell's W transposed, so dzx W^T runs along rows */
    real *dx;      /* [T x B x max in] */
    real *rowgrad; /* [T x B x sparse_width]; under embedding input its first nuniq rows are the
                    * distinct tokens' (their mean rows forward, their summed gradients backward) */
    /* Embedding input: the chunk's distinct tokens, so that a token met many
     * times is gathered and scattered once (chunk_tokens). */
    int32_t *uniq; /* [T x B] the distinct tokens in order of first occurrence */
    int32_t *slot; /* [T x B] position -> its token's index in uniq */
    int32_t *hash; /* [model_hash_slots(T x B)] open addressing: an index into uniq, -1 empty */
    int nuniq;
    real *zeros, *carry_h, *carry_c, *step_dh, *direct_h, *next_c; /* [B x u] */
    real *dlogit;                                                  /* [B] */
    real *pooled;    /* [B x H] the top layer pooled over time (mean, max; last when bidirectional) */
    int32_t *argmax; /* [B x H] the step each max came from, -1: none */
    uint64_t *ids;   /* [B] sample ids of the chunk (one-hot dropout masks) */
    uint64_t seed;
    int training;
};

/* ---- layout and initialisation ---- */

/* Glorot uniform for a (rows x cols) matrix whose rows lie stride floats
 * apart (stride > cols: one-hot's two directions share the rows, below). */
static void glorot(real *w, int64_t rows, int64_t cols, int64_t stride, Rng *r) {
    double limit = sqrt(6.0 / (double)(rows + cols));
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++)
            w[i * stride + j] = (real)((2 * rng_double(r) - 1) * limit);
}

static double normal(Rng *r) {
    double u1 = rng_double(r), u2 = rng_double(r);
    return sqrt(-2 * log(u1 + 1e-300)) * cos(6.283185307179586 * u2);
}

/* Keras' Orthogonal for a (rows x cols) matrix with rows <= cols: a random
 * normal matrix whose rows are made orthonormal (Gram-Schmidt, in double). */
static void orthogonal(real *w, int rows, int cols, Rng *r) {
    double *a = xmalloc((size_t)rows * cols * sizeof *a);
    for (int64_t i = 0; i < (int64_t)rows * cols; i++)
        a[i] = normal(r);
    for (int i = 0; i < rows; i++) {
        double *ai = a + (size_t)i * cols;
        for (int pass = 0; pass < 2; pass++) /* twice: numerically orthogonal */
            for (int j = 0; j < i; j++) {
                double *aj = a + (size_t)j * cols, d = 0;
                for (int k = 0; k < cols; k++)
                    d += ai[k] * aj[k];
                for (int k = 0; k < cols; k++)
                    ai[k] -= d * aj[k];
            }
        double n = 0;
        for (int k = 0; k < cols; k++)
            n += ai[k] * ai[k];
        n = sqrt(n);
        for (int k = 0; k < cols; k++)
            ai[k] /= n;
    }
    for (int64_t i = 0; i < (int64_t)rows * cols; i++)
        w[i] = (real)a[i];
    free(a);
}

/* TokenRows as model_init needs them: types 0 and 1, every list nonempty
 * and increasing, every row below nrows, nrows at least the vocabulary. */
static int check_rows(const TokenRows *r, int vocab) {
    if (r->ntypes < 2 || r->nrows < vocab || r->nrows > INT32_MAX || !r->start || !r->row || r->start[0] != 0)
        return el_fail("subword input: bad token rows (%d types, %lld rows)", r->ntypes, (long long)r->nrows);
    for (int32_t k = 0; k < r->ntypes; k++) {
        if (r->start[k + 1] <= r->start[k])
            return el_fail("subword input: token type %d has no rows", k);
        for (int64_t i = r->start[k]; i < r->start[k + 1]; i++)
            if (r->row[i] < 0 || r->row[i] >= r->nrows)
                return el_fail("subword input: token type %d names row %d of %lld", k, r->row[i], (long long)r->nrows);
    }
    return 0;
}

/* cfg's values model_layout accepts, each with a message. */
static int check_config(const ModelConfig *cfg) {
    if (!cfg->cell)
        return el_fail("no cell type given");
    if (cfg->units < 1 || cfg->units > INT32_MAX / 2)
        return el_fail("units must be from 1 to %d", INT32_MAX / 2);
    if (cfg->layers < 1 || cfg->layers > MAX_LAYERS)
        return el_fail("layers must be from 1 to %d", MAX_LAYERS);
    if (cfg->maxlen < 1)
        return el_fail("maxlen must be 1 or more");
    if (cfg->vocab < 2)
        return el_fail("the vocabulary needs 2 or more indices");
    if (!cfg->onehot && cfg->dim < 1)
        return el_fail("the embedding dimension must be 1 or more");
    if (cfg->pool < POOL_LAST || cfg->pool > POOL_MAX)
        return el_fail("unknown pooling %d", cfg->pool);
    if (cfg->rows && (cfg->onehot || check_rows(cfg->rows, cfg->vocab) != 0))
        return cfg->onehot ? el_fail("subword input needs an embedding, not one-hot input") : -1;
    if (cfg->dropout < 0 || cfg->dropout >= 1 || cfg->recurrent_dropout < 0 || cfg->recurrent_dropout >= 1)
        return el_fail("dropout rates must be in [0, 1)");
    return 0;
}

/* *off += a * b, or 1 if that overflows: a configuration read from a
 * lab.db may ask for any size. */
static int grow(int64_t *off, int64_t a, int64_t b) {
    int64_t p;
    return __builtin_mul_overflow(a, b, &p) || __builtin_add_overflow(*off, p, off);
}

int model_layout(Model *m, const ModelConfig *cfg) {
    memset(m, 0, sizeof *m);
    if (check_config(cfg) != 0)
        return -1;
    m->cfg = *cfg;
    int G = cfg->cell->gates, u = cfg->units, over = 0;
    int64_t off = 0;
    m->table_rows = cfg->rows ? cfg->rows->nrows : cfg->vocab;
    m->dirs = cfg->bidirectional ? 2 : 1;
    if (cfg->onehot) {
        /* Layer 0's W is the row-sparse block: row k holds each direction's
         * W row for word k side by side (G u floats each), so one token's
         * gradient is one row of the block, as an embedding's is. */
        m->embed = -1;
        m->sparse_width = (int64_t)m->dirs * G * u;
    } else {
        m->embed = 0;
        m->sparse_width = cfg->dim;
        over |= grow(&off, m->table_rows, cfg->dim);
    }
    m->out_width = m->dirs * u;
    for (int l = 0; l < cfg->layers; l++) {
        int in = l == 0 ? (cfg->onehot ? cfg->vocab : cfg->dim) : m->out_width;
        m->in_dim[l] = in;
        for (int d = 0; d < m->dirs; d++) {
            int s = l * m->dirs + d;
            if (l == 0 && cfg->onehot && d > 0) {
                m->W[s] = m->W[0] + (int64_t)d * G * u; /* its columns of the sparse block's rows */
            } else {
                m->W[s] = off; /* under one-hot, layer 0's W is the sparse block at 0 */
                over |= grow(&off, in, l == 0 && cfg->onehot ? m->sparse_width : (int64_t)G * u);
            }
            m->U[s] = off;
            over |= grow(&off, u, (int64_t)G * u);
            m->b[s] = off;
            over |= grow(&off, G, u);
            m->rb[s] = -1;
            if (cfg->cell->recurrent_bias) {
                m->rb[s] = off;
                over |= grow(&off, G, u);
            }
        }
    }
    m->dense_w = off;
    over |= grow(&off, m->out_width, 1);
    m->dense_b = off;
    over |= grow(&off, 1, 1);
    m->nparams = off;
    m->dense_from = m->table_rows * m->sparse_width; /* no overflow: a part of off */
    m->update_from = (!cfg->onehot && cfg->freeze) ? m->dense_from : 0;
    if (over || (uint64_t)off > SIZE_MAX / sizeof(real)) {
        memset(m, 0, sizeof *m);
        return el_fail("the model's configuration makes more parameters than can be held");
    }
    return 0;
}

int model_init(Model *m, const ModelConfig *cfg, uint64_t seed) {
    if (model_layout(m, cfg) != 0)
        return -1;
    m->params = xmalloc_huge((size_t)m->nparams * sizeof(real)); /* rows of the table read at random */
    memset(m->params, 0, (size_t)m->nparams * sizeof(real));
    int G = cfg->cell->gates, u = cfg->units;
    Rng r;
    rng_seed(&r, seed ^ 0x1217AB5EEDull);
    if (m->embed >= 0)
        for (int64_t i = 0; i < m->table_rows * cfg->dim; i++)
            m->params[i] = (real)((2 * rng_double(&r) - 1) * 0.05);
    for (int s = 0; s < cfg->layers * m->dirs; s++) {
        int64_t stride = s < m->dirs && cfg->onehot ? m->sparse_width : (int64_t)G * u;
        glorot(m->params + m->W[s], m->in_dim[s / m->dirs], (int64_t)G * u, stride, &r);
        orthogonal(m->params + m->U[s], u, G * u, &r);
        cfg->cell->init_bias(m->params + m->b[s], u);
    }
    glorot(m->params + m->dense_w, m->out_width, 1, 1, &r);
    return 0;
}

int model_load(Model *m, const ModelConfig *cfg, const void *params, size_t bytes) {
    if (model_layout(m, cfg) != 0)
        return -1;
    if (bytes / sizeof(real) != (uint64_t)m->nparams || bytes % sizeof(real) != 0) {
        int64_t need = m->nparams;
        memset(m, 0, sizeof *m);
        return el_fail("stored parameters have %zu bytes, the model needs %lld", bytes,
                       (long long)need * (long long)sizeof(real));
    }
    m->params = xmalloc_huge((size_t)m->nparams * sizeof(real));
    memcpy(m->params, params, bytes);
    return 0;
}

void model_free(Model *m) {
    free(m->params);
    memset(m, 0, sizeof *m);
}

int64_t onehot_bytes(int64_t n, int maxlen, int vocab) { return n * maxlen * (int64_t)vocab * 4; }

/* ---- workspace ---- */

static real *buf(size_t n) { return xcalloc(n ? n : 1, sizeof(real)); }

size_t model_hash_slots(size_t positions) {
    size_t n = 16;
    while (n < 2 * positions)
        n *= 2;
    return n;
}

Work *work_new(const Model *m) {
    const ModelConfig *c = &m->cfg;
    Work *w = xcalloc(1, sizeof *w);
    size_t T = c->maxlen, B = CHUNK, u = c->units, Gu = (size_t)c->cell->gates * u, TB = T * B, H = m->out_width;
    w->T = (int)T;
    w->tok = xmalloc(TB * sizeof *w->tok);
    w->valid = xmalloc(TB);
    size_t maxin = H;
    if (!c->onehot) {
        w->x0 = buf(TB * c->dim);
        maxin = c->dim > (int)H ? (size_t)c->dim : H;
    }
    for (int l = 0; l < c->layers; l++) {
        size_t in = m->in_dim[l];
        if (l == 0)
            w->xin[0] = w->x0;
        else
            w->xin[l] = buf(TB * in);
        if (!(l == 0 && c->onehot))
            w->dmask[l] = buf(B * in);
        if (m->dirs == 2)
            w->cat[l] = buf(TB * H);
    }
    if (m->dirs == 2)
        w->dcat = buf(TB * H);
    for (int s = 0; s < c->layers * m->dirs; s++) {
        w->rmask[s] = buf(B * u);
        w->zx[s] = buf(TB * Gu);
        w->dzx[s] = buf(TB * Gu);
        w->dzh[s] = c->cell->sums_z ? w->dzx[s] : buf(TB * Gu);
        w->h[s] = buf(TB * u);
        w->c[s] = buf(TB * u);
        w->hpm[s] = buf(TB * u);
        w->dh[s] = buf(TB * u);
        w->cache[s] = buf(TB * u * c->cell->cache);
    }
    w->zstep = buf(B * Gu);
    w->ut = buf(Gu * u);
    w->wt = buf(Gu * maxin);
    w->dx = buf(TB * maxin);
    w->rowgrad = buf(TB * m->sparse_width);
    if (!c->onehot) {
        w->uniq = xmalloc(TB * sizeof *w->uniq);
        w->slot = xmalloc(TB * sizeof *w->slot);
        w->hash = xmalloc(model_hash_slots(TB) * sizeof *w->hash);
    }
    w->zeros = buf(B * u);
    w->carry_h = buf(B * u);
    w->carry_c = buf(B * u);
    w->step_dh = buf(B * u);
    w->direct_h = buf(B * u);
    w->next_c = buf(B * u);
    w->dlogit = buf(B);
    if (c->pool != POOL_LAST || m->dirs == 2) {
        w->pooled = buf(B * H);
        w->argmax = xcalloc(B * H, sizeof *w->argmax);
    }
    w->ids = xcalloc(B, sizeof *w->ids);
    return w;
}

void work_free(Work *w) {
    if (!w)
        return;
    free(w->tok);
    free(w->valid);
    free(w->x0);
    for (int l = 0; l < MAX_LAYERS; l++) {
        if (l > 0)
            free(w->xin[l]);
        free(w->dmask[l]), free(w->cat[l]);
    }
    free(w->dcat);
    for (int s = 0; s < MAX_SLOTS; s++) {
        if (w->dzh[s] != w->dzx[s])
            free(w->dzh[s]);
        free(w->rmask[s]), free(w->zx[s]), free(w->dzx[s]);
        free(w->h[s]), free(w->c[s]), free(w->hpm[s]), free(w->dh[s]), free(w->cache[s]);
    }
    free(w->zstep), free(w->ut), free(w->wt), free(w->dx), free(w->rowgrad), free(w->zeros), free(w->carry_h),
        free(w->carry_c), free(w->step_dh);
    free(w->direct_h), free(w->next_c), free(w->dlogit), free(w->ids), free(w->pooled), free(w->argmax);
    free(w->uniq), free(w->slot), free(w->hash);
    free(w);
}

/* ---- dropout masks ---- */

/* A uniform number in [0, 1) fixed by (seed, sample, layer, kind, feature): a
 * sequence keeps one mask for all its steps, and the mask never depends on
 * which chunk or thread computes it. */
static double mask_uniform(uint64_t seed, uint64_t sample, int layer, int kind, int64_t feature) {
    Rng r;
    rng_seed(&r, seed ^ (sample * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)(layer * 4 + kind) << 56) ^
                     ((uint64_t)feature * 0xD1B54A32D192ED03ull));
    return rng_double(&r);
}

static void fill_mask(real *mask, int B, int n, double rate, uint64_t seed, const uint64_t *ids, int layer, int kind) {
    real keep = (real)(1 / (1 - rate));
    for (int b = 0; b < B; b++)
        for (int i = 0; i < n; i++)
            mask[(size_t)b * n + i] = mask_uniform(seed, ids[b], layer, kind, i) < rate ? 0 : keep;
}

/* One-hot input dropout drops vocabulary dimensions: the token's one. */
static real onehot_mask(const Work *w, int b, int32_t token, double rate) {
    if (!w->training || rate <= 0)
        return 1;
    return mask_uniform(w->seed, w->ids[b], 0, 0, token) < rate ? 0 : (real)(1 / (1 - rate));
}

/* Each stage of the network below has its forward and its backward side by
 * side, as functions of their own; model_chunk is the sequence of their
 * calls. Shapes in comments: T steps, B sequences of the chunk, D the
 * embedding width, I (In in code: complex.h takes I) a layer's input width, u units, Gu = gates x u, V the
 * vocabulary. Activations are time-major: row t * B + b. */

/* The chunk's distinct tokens (uniq, nuniq) in order of first occurrence,
 * and each position's index among them (slot): a hash table over the n
 * positions, at most half full. */
static void chunk_tokens(Work *w, int n) {
    size_t mask = model_hash_slots((size_t)n) - 1;
    memset(w->hash, 0xff, (mask + 1) * sizeof *w->hash);
    int nu = 0;
    for (int i = 0; i < n; i++) {
        int32_t k = w->tok[i];
        size_t h = ((uint32_t)k * 0x9E3779B1u) & mask;
        while (w->hash[h] >= 0 && w->uniq[w->hash[h]] != k)
            h = (h + 1) & mask;
        if (w->hash[h] < 0) {
            w->hash[h] = nu;
            w->uniq[nu++] = k;
        }
        w->slot[i] = w->hash[h];
    }
    w->nuniq = nu;
}

/* The steps [*lo, *hi) between a sequence's first and last real token
 * (index 0 is padding, and only padding); an empty span for padding only. */
static void seq_span(const int32_t *seq, int T, int *lo, int *hi) {
    int a = 0, b = T;
    while (a < T && seq[a] == 0)
        a++;
    while (b > a && seq[b - 1] == 0)
        b--;
    *lo = a, *hi = b;
}

int model_steps(const ModelConfig *c, const int32_t *seq) {
    if (!c->mask)
        return c->maxlen;
    int lo, hi;
    seq_span(seq, c->maxlen, &lo, &hi);
    return hi - lo;
}

int work_steps(const Work *w) { return w->T; }

/* The chunk's tokens, time-major, with their padding flags and sample ids.
 * Under --mask a chunk runs only the steps [lo, hi) where some sequence has
 * a real token: a step of padding alone carries every state over and pools
 * nothing, so the steps before lo (pre padding) and from hi (post padding)
 * change no value. The last step's state is then at hi - 1 (the reverse
 * cell's at lo), which is what a full run would carry to T - 1 (or 0).
 * w->T is the steps run, at least 1 (a chunk of padding alone runs one
 * step: its states stay zero). Sorting a batch by model_steps before
 * cutting it into chunks is what makes this pay: reviews of like length
 * share a chunk. */
static void chunk_setup(const Model *m, Work *w, const int32_t *tokens, int B, int training, uint64_t dropout_seed,
                        const uint64_t *sample_ids) {
    const ModelConfig *c = &m->cfg;
    int maxlen = c->maxlen, ntok = c->rows ? c->rows->ntypes : c->vocab, lo = 0, hi = maxlen;
    if (c->mask) {
        lo = maxlen, hi = 0;
        for (int b = 0; b < B; b++) {
            int a, e;
            seq_span(tokens + (size_t)b * maxlen, maxlen, &a, &e);
            if (a < e)
                lo = a < lo ? a : lo, hi = e > hi ? e : hi;
        }
        if (lo >= hi)
            lo = 0, hi = 1;
    }
    int T = hi - lo;
    w->T = T;
    w->B = B;
    w->training = training;
    w->seed = dropout_seed;
    for (int b = 0; b < B; b++)
        w->ids[b] = sample_ids ? sample_ids[b] : (uint64_t)b;
    for (int t = 0; t < T; t++)
        for (int b = 0; b < B; b++) {
            int32_t k = tokens[(size_t)b * maxlen + lo + t]; // (B,maxlen) in, from step lo
            if (k < 0 || k >= ntok)
                k = 1;             /* out of range: out-of-vocabulary */
            w->tok[t * B + b] = k; // (T,B) out
            w->valid[t * B + b] = k != 0;
        }
    if (!c->onehot)
        chunk_tokens(w, T * B);
}

/* ---- embedding and subword input: xu, each distinct token's vector (a table row, or
 * under subword input the mean of its rows, a gather-mean); x0 = xu[tok] x dropout mask ---- */

/* Their backward is layer 0's input projection writing dL/dx0, through the
 * same dropout mask, to the row gradients (T,B,D) (dropout_backward),
 * summed per distinct token (token_grads); without a mask the sums come
 * first (input_backward_summed). model_add_row_grads adds them to the
 * table's rows. */

/* out (D) = (sum of type k's rows) / their count: a plain sum from zero in
 * list order, then one multiplication by the reciprocal, as subword_mean
 * (embed/subword.h) and subword_oov_vector compute fastText's vector. */
static void rows_mean(const Model *m, int32_t k, real *out) {
    const TokenRows *r = m->cfg.rows;
    int D = m->cfg.dim;
    const real *table = m->params + m->embed; // (R,D)
    int64_t s = r->start[k], e = r->start[k + 1];
    for (int d = 0; d < D; d++)
        out[d] = 0;
    for (int64_t i = s; i < e; i++) {
        const real *row = table + (int64_t)r->row[i] * D;
        for (int d = 0; d < D; d++)
            out[d] += row[d];
    }
    real inv = (real)1 / (real)(e - s);
    for (int d = 0; d < D; d++)
        out[d] *= inv;
}

/* out (nuniq,width) = rows (T,B,width) summed per distinct token, in
 * position order. */
static void sum_by_token(const Work *w, const real *rows, int width, real *out) {
    int TB = w->T * w->B;
    memset(out, 0, (size_t)w->nuniq * width * sizeof(real));
    for (int i = 0; i < TB; i++) {
        real *g = out + (size_t)w->slot[i] * width;
        const real *r = rows + (size_t)i * width;
#pragma omp simd
        for (int j = 0; j < width; j++)
            g[j] += r[j];
    }
}

/* The embedding's row gradients (T,B,D), written by dropout_backward to dx,
 * summed per distinct token into rowgrad's first nuniq rows, in the chunk's
 * own thread: the serial scatter into the shared gradient then adds one row
 * per distinct token, not one per position. */
static void token_grads(const Model *m, Work *w) { sum_by_token(w, w->dx, m->cfg.dim, w->rowgrad); }

/* xu (nuniq,D) in dx (free outside the backward pass): each distinct
 * token's input vector (its table row, or its subword rows' mean), in order
 * of first occurrence. */
static const real *distinct_inputs(const Model *m, Work *w) {
    int D = m->cfg.dim;
    for (int k = 0; k < w->nuniq; k++)
        model_input_vector(m, w->uniq[k], w->dx + (size_t)k * D);
    return w->dx;
}

/* x0 (T,B,D) = each position's distinct-token vector x the sequence's
 * dropout mask: layer 0's input under input dropout. */
static void masked_input_forward(const Model *m, Work *w, const real *xu) {
    const ModelConfig *c = &m->cfg;
    int T = w->T, B = w->B, D = c->dim;
    fill_mask(w->dmask[0], B, D, c->dropout, w->seed, w->ids, 0, 0); // (B,D)
    for (int t = 0; t < T; t++)
        for (int b = 0; b < B; b++) {
            const real *e = xu + (size_t)w->slot[t * B + b] * D;
            real *x = w->x0 + ((size_t)t * B + b) * D; // (T,B,D)
            for (int d = 0; d < D; d++)
                x[d] = e[d] * w->dmask[0][(size_t)b * D + d];
        }
}

/* Layer 0's zx for cell d when no dropout mask stands between the table
 * and layer 0: x0's rows would be the distinct tokens' vectors xu repeated,
 * so each distinct token's row xu W + b is computed once (nuniq rows, into
 * dzx: free until the backward pass) and copied to its positions. A row of
 * the product depends on its own row of xu alone, so zx holds the bits the
 * T x B product gave; x0 itself is never made. */
static void input_forward_summed(const Model *m, Work *w, int d, const real *xu) {
    int TB = w->T * w->B, D = m->cfg.dim, Gu = m->cfg.cell->gates * m->cfg.units;
    real *zu = w->dzx[d]; // (nuniq,Gu)
    mm_bias(w->nuniq, Gu, D, xu, D, m->params + m->W[d], Gu, m->params + m->b[d], zu, Gu);
    for (int i = 0; i < TB; i++)
        memcpy(w->zx[d] + (size_t)i * Gu, zu + (size_t)w->slot[i] * Gu, Gu * sizeof(real)); // (T,B,Gu)
}

/* Layer 0's weight and row gradients when no dropout mask stands between
 * the table and layer 0 (none, or not training). Then x0's rows are the
 * distinct tokens' input vectors xu, repeated, so
 *   dL/dW = x0^T dzx = xu^T S    and token k's row gradient, the sum over
 *   its positions of dzx W^T, = S_k W^T,
 * S (nuniq,Gu) each distinct token's dzx rows summed (position order, into
 * that cell's zx: nothing reads it once the forward pass is done). Both
 * products then run over nuniq rows instead of T x B: at 100 steps of 16
 * reviews and a 500-word vocabulary about a third; the sums cost one add
 * per dzx value, 1 / (2 D) of a product they save. need_rows 0 (a frozen
 * table): dL/dW alone. */
static void input_backward_summed(const Model *m, Work *w, int need_rows, real *grad) {
    int D = m->cfg.dim, Gu = m->cfg.cell->gates * m->cfg.units, nu = w->nuniq;
    const real *xu = distinct_inputs(m, w); /* again: a layer above may have written dx */
    for (int d = 0; d < m->dirs; d++) {
        real *sum = w->zx[d]; // (nuniq,Gu)
        sum_by_token(w, w->dzx[d], Gu, sum);
        mm(1, 0, D, Gu, nu, 1, xu, D, sum, Gu, 1, grad + m->W[d], Gu); // (D,Gu)
        if (!need_rows)
            continue;
        transpose(D, Gu, m->params + m->W[d], Gu, w->wt, D);                     // (Gu,D)
        mm(0, 0, nu, D, Gu, 1, sum, Gu, w->wt, D, d > 0 ? 1 : 0, w->rowgrad, D); // (nuniq,D)
    }
}

/* Row `row` belongs to part `part` of `parts` (blocks of 4 rows, so that
 * two parts never share a cache line of a narrow table). */
static int in_part(int32_t row, int part, int parts) { return parts == 1 || (row >> 2) % parts == part; }

/* The backward: each distinct token's summed gradient (token_grads); each
 * of its n rows takes 1/n of it, a scatter-add into grad's rows (R,D), in
 * order of first occurrence. */
static void subword_scatter(const Model *m, const Work *w, real *grad, int part, int parts) {
    const TokenRows *r = m->cfg.rows;
    int D = m->cfg.dim;
    for (int u = 0; u < w->nuniq; u++) {
        int64_t s = r->start[w->uniq[u]], e = r->start[w->uniq[u] + 1];
        real inv = (real)1 / (real)(e - s);
        const real *d = w->rowgrad + (size_t)u * D; // (nuniq,D)
        for (int64_t k = s; k < e; k++) {
            if (!in_part(r->row[k], part, parts))
                continue;
            real *g = grad + (int64_t)r->row[k] * D;
#pragma omp simd
            for (int j = 0; j < D; j++)
                g[j] += d[j] * inv;
        }
    }
}

void model_input_vector(const Model *m, int32_t k, real *out) {
    if (m->cfg.rows)
        rows_mean(m, k, out);
    else
        memcpy(out, m->params + m->embed + (int64_t)k * m->cfg.dim, m->cfg.dim * sizeof(real));
}

/* ---- one-hot input: layer 0's zx = W[tok] (x mask) + b, a row gather ---- */

/* Direction d's zx: its columns of the sparse block's rows (V, dirs x Gu). */
static void onehot_forward(const Model *m, Work *w, int d) {
    const ModelConfig *c = &m->cfg;
    int T = w->T, B = w->B, Gu = c->cell->gates * c->units;
    const real *W = m->params + m->W[d], *bias = m->params + m->b[d]; // (V,dirs Gu) from column d Gu, (Gu)
    for (int t = 0; t < T; t++)
        for (int b = 0; b < B; b++) {
            int32_t k = w->tok[t * B + b];
            real mk = onehot_mask(w, b, k, c->dropout);
            const real *row = W + (int64_t)k * m->sparse_width;
            real *z = w->zx[d] + ((size_t)t * B + b) * Gu; // (T,B,Gu)
            for (int j = 0; j < Gu; j++)
                z[j] = row[j] * mk + bias[j];
        }
}

/* dL/dW[tok] rows (T,B,dirs Gu) = each direction's dzx x mask, side by
 * side as the block's rows are, for model_add_row_grads to scatter. */
static void onehot_backward(const Model *m, Work *w) {
    const ModelConfig *c = &m->cfg;
    int T = w->T, B = w->B, Gu = c->cell->gates * c->units;
    for (int t = 0; t < T; t++)
        for (int b = 0; b < B; b++) {
            real mk = onehot_mask(w, b, w->tok[t * B + b], c->dropout);
            real *g = w->rowgrad + ((size_t)t * B + b) * m->sparse_width;
            for (int d = 0; d < m->dirs; d++) {
                const real *dz = w->dzx[d] + ((size_t)t * B + b) * Gu;
                for (int j = 0; j < Gu; j++)
                    g[d * Gu + j] = dz[j] * mk;
            }
        }
}

/* ---- a layer's output: its cell's h, or both directions' side by side ---- */

/* Layer l's output (T,B,H), H = dirs x u: h of its one cell, or cat[l]. */
static const real *layer_out(const Model *m, const Work *w, int l) { return m->dirs == 1 ? w->h[l] : w->cat[l]; }

/* cat[l] (T,B,2u) = [h forward | h reverse] at each step. */
static void concat_forward(const Model *m, Work *w, int l) {
    int TB = w->T * w->B, u = m->cfg.units;
    for (int r = 0; r < TB; r++)
        for (int d = 0; d < 2; d++)
            memcpy(w->cat[l] + (size_t)r * 2 * u + d * u, w->h[l * 2 + d] + (size_t)r * u, u * sizeof(real));
}

/* dcat (T,B,2u) split into the two cells' dh (T,B,u). */
static void concat_backward(const Model *m, Work *w, int l) {
    int TB = w->T * w->B, u = m->cfg.units;
    for (int r = 0; r < TB; r++)
        for (int d = 0; d < 2; d++)
            memcpy(w->dh[l * 2 + d] + (size_t)r * u, w->dcat + (size_t)r * 2 * u + d * u, u * sizeof(real));
}

/* Where dL/d(layer l's output) (T,B,H) goes: its cell's dh, or dcat (then concat_backward). */
static real *layer_dout(const Model *m, Work *w, int l) { return m->dirs == 1 ? w->dh[l] : w->dcat; }

/* ---- dropout between layers: xin[l] = out[l-1] x mask ---- */

static void dropout_forward(const Model *m, Work *w, int l, int drop) {
    const ModelConfig *c = &m->cfg;
    int T = w->T, B = w->B, In = m->in_dim[l];
    if (drop)
        fill_mask(w->dmask[l], B, In, c->dropout, w->seed, w->ids, l, 0); // (B,I)
    const real *out = layer_out(m, w, l - 1);
    for (int t = 0; t < T; t++)
        for (int b = 0; b < B; b++) {
            const real *h = out + ((size_t)t * B + b) * In; // (T,B,H)
            real *x = w->xin[l] + ((size_t)t * B + b) * In; // (T,B,I), I = H
            for (int j = 0; j < In; j++)
                x[j] = drop ? h[j] * w->dmask[l][(size_t)b * In + j] : h[j];
        }
}

/* dst (T,B,I) = dx x mask: dL/dh[l-1] above the first layer, the
 * embedding's row gradients at layer 0. */
static void dropout_backward(const Model *m, Work *w, int l, int drop, real *dst) {
    int T = w->T, B = w->B, In = m->in_dim[l];
    for (int t = 0; t < T; t++)
        for (int b = 0; b < B; b++)
            for (int j = 0; j < In; j++) {
                size_t i = ((size_t)t * B + b) * In + j;
                dst[i] = drop ? w->dx[i] * w->dmask[l][(size_t)b * In + j] : w->dx[i];
            }
}

/* ---- input projection of cell s of layer l: zx = xin W + b, one GEMM for all steps ---- */

static void input_forward(const Model *m, Work *w, int l, int s) {
    int TB = w->T * w->B, In = m->in_dim[l], Gu = m->cfg.cell->gates * m->cfg.units;
    const real *W = m->params + m->W[s], *bias = m->params + m->b[s]; // (I,Gu), (Gu)
    mm_bias(TB, Gu, In, w->xin[l], In, W, Gu, bias, w->zx[s], Gu);    // (T,B,Gu)
}

/* dL/dW += xin^T dzx (I,Gu); dx (T,B,I) = dzx W^T (+ dx when add: the
 * second direction's share) when something below needs it, with W^T
 * (Gu,I) written out first: a product that reads its B along rows runs in
 * core/blas.c's own kernel, and the copy costs a T B-th of the product. */
static void input_backward(const Model *m, Work *w, int l, int s, int need_dx, int add, real *grad) {
    int TB = w->T * w->B, In = m->in_dim[l], Gu = m->cfg.cell->gates * m->cfg.units;
    mm(1, 0, In, Gu, TB, 1, w->xin[l], In, w->dzx[s], Gu, 1, grad + m->W[s], Gu);
    if (!need_dx)
        return;
    const real *W = m->params + m->W[s]; // (I,Gu)
    transpose(In, Gu, W, Gu, w->wt, In); // (Gu,I)
    mm(0, 0, TB, In, Gu, 1, w->dzx[s], Gu, w->wt, In, add ? 1 : 0, w->dx, In);
}

/* dL/db (Gu) += dzx summed over (T,B): the bias of zx, under either input. */
static void bias_backward(const Model *m, const Work *w, int s, real *grad) {
    int TB = w->T * w->B, Gu = m->cfg.cell->gates * m->cfg.units;
    real *gb = grad + m->b[s];
    for (int r = 0; r < TB; r++)
        for (int j = 0; j < Gu; j++)
            gb[j] += w->dzx[s][(size_t)r * Gu + j];
}

/* ---- the recurrence: h_t, c_t = cell(zx_t, h_{t-1} U (+ rb)) ---- */

/* Cell s = l * dirs + d of layer l; d = 1 runs from step T-1 down to 0 (its
 * "previous" step is t + 1), keeping step t's values at row t. */
static void recurrent_forward(const Model *m, Work *w, int l, int d, int rdrop) {
    const ModelConfig *c = &m->cfg;
    const CellType *cell = c->cell;
    int T = w->T, B = w->B, u = c->units, Gu = cell->gates * u, s = l * m->dirs + d, rev = d == 1;
    const real *U = m->params + m->U[s]; // (u,Gu)
    if (rdrop)
        fill_mask(w->rmask[s], B, u, c->recurrent_dropout, w->seed, w->ids, l, 1 + 2 * d); // (B,u)
    for (int i = 0; i < T; i++) {
        int t = rev ? T - 1 - i : i, tp = rev ? t + 1 : t - 1;
        const real *hprev = i ? w->h[s] + (size_t)tp * B * u : w->zeros; // (B,u)
        const real *cprev = i ? w->c[s] + (size_t)tp * B * u : w->zeros;
        real *zx = w->zx[s] + (size_t)t * B * Gu; // (B,Gu)
        real *zh = cell->sums_z ? zx : w->zstep;  // (B,Gu) h_prev U: added into zx when the cell sums them
        const real *hin = hprev;                  /* h_prev through the recurrent dropout mask: hpm, or h_prev itself */
        if (rdrop) {
            real *hpm = w->hpm[s] + (size_t)t * B * u; // (B,u)
            for (int k = 0; k < B * u; k++)
                hpm[k] = hprev[k] * w->rmask[s][k];
            hin = hpm;
        }
        if (m->rb[s] >= 0) /* rb: a cell with a recurrent bias never sums z (cell_register) */
            mm_bias(B, Gu, u, hin, u, U, Gu, m->params + m->rb[s], zh, Gu);
        else
            mm(0, 0, B, Gu, u, 1, hin, u, U, Gu, cell->sums_z ? 1 : 0, zh, Gu);
        real *h = w->h[s] + (size_t)t * B * u, *cs = w->c[s] + (size_t)t * B * u;
        StepForward st = {.batch = B,
                          .units = u,
                          .activation = c->activation,
                          .zx = zx,
                          .zh = cell->sums_z ? NULL : zh,
                          .h_prev = hprev,
                          .c_prev = cprev,
                          .h = h,
                          .c = cs,
                          .cache = w->cache[s] + (size_t)t * B * u * cell->cache};
        cell->forward(&st);
        if (c->mask) /* padding steps carry the state over */
            for (int b = 0; b < B; b++)
                if (!w->valid[t * B + b]) {
                    memcpy(h + (size_t)b * u, hprev + (size_t)b * u, u * sizeof(real));
                    memcpy(cs + (size_t)b * u, cprev + (size_t)b * u, u * sizeof(real));
                }
    }
}

/* Backpropagation through time from dh (T,B,u), all that reaches each h_t
 * from above: writes dzx, dzh (T,B,Gu) and adds dL/dU = hpm^T dzh (u,Gu) and
 * dL/drb = dzh summed over (T,B) to grad. */
static void recurrent_backward(const Model *m, Work *w, int l, int d, int rdrop, real *grad) {
    const ModelConfig *c = &m->cfg;
    const CellType *cell = c->cell;
    int T = w->T, B = w->B, u = c->units, Gu = cell->gates * u, TB = T * B, s = l * m->dirs + d, rev = d == 1;
    const real *U = m->params + m->U[s];
    real *dzx = w->dzx[s], *dzh = w->dzh[s];
    transpose(u, Gu, U, Gu, w->ut, u); /* U^T (Gu,u), so that dzh U^T runs along rows */
    memset(w->carry_h, 0, (size_t)B * u * sizeof(real));
    memset(w->carry_c, 0, (size_t)B * u * sizeof(real));
    for (int i = T - 1; i >= 0; i--) {
        int t = rev ? T - 1 - i : i, tp = rev ? t + 1 : t - 1;
        const real *dh_in = w->dh[s] + (size_t)t * B * u;
        for (int k = 0; k < B * u; k++)
            w->step_dh[k] = dh_in[k] + w->carry_h[k];
        const real *hprev = i ? w->h[s] + (size_t)tp * B * u : w->zeros;
        const real *cprev = i ? w->c[s] + (size_t)tp * B * u : w->zeros;
        real *dzx_t = dzx + (size_t)t * B * Gu, *dzh_t = dzh + (size_t)t * B * Gu;
        StepBackward st = {.batch = B,
                           .units = u,
                           .activation = c->activation,
                           .h_prev = hprev,
                           .c_prev = cprev,
                           .h = w->h[s] + (size_t)t * B * u,
                           .c = w->c[s] + (size_t)t * B * u,
                           .cache = w->cache[s] + (size_t)t * B * u * cell->cache,
                           .dh = w->step_dh,
                           .dc = w->carry_c,
                           .dzx = dzx_t,
                           .dzh = dzh_t,
                           .scratch = w->zstep,
                           .dh_prev = w->direct_h,
                           .dc_prev = w->next_c};
        cell->backward(&st);
        if (c->mask)
            for (int b = 0; b < B; b++)
                if (!w->valid[t * B + b]) { /* the state passed through untouched */
                    memset(dzx_t + (size_t)b * Gu, 0, Gu * sizeof(real));
                    if (dzh_t != dzx_t) /* one buffer under sums_z */
                        memset(dzh_t + (size_t)b * Gu, 0, Gu * sizeof(real));
                    memcpy(w->direct_h + (size_t)b * u, w->step_dh + (size_t)b * u, u * sizeof(real));
                    memcpy(w->next_c + (size_t)b * u, w->carry_c + (size_t)b * u, u * sizeof(real));
                }
        /* dL/dh_prev = direct part + (dzh U^T), through the recurrent dropout mask. */
        mm(0, 0, B, u, Gu, 1, dzh_t, Gu, w->ut, u, 0, w->carry_h, u);
        for (int k = 0; k < B * u; k++) {
            if (rdrop)
                w->carry_h[k] *= w->rmask[s][k];
            w->carry_h[k] += w->direct_h[k];
        }
        if (cell->cell_state)
            memcpy(w->carry_c, w->next_c, (size_t)B * u * sizeof(real));
    }
    /* Weight gradients for all steps at once: dU = sum over steps of h_prev^T dzh,
     * h_prev masked (hpm) or, without recurrent dropout, h of the step before
     * (after, in reverse) read in place: the first step's zero state adds nothing. */
    if (rdrop)
        mm(1, 0, u, Gu, TB, 1, w->hpm[s], u, dzh, Gu, 1, grad + m->U[s], Gu);
    else if (T > 1)
        mm(1, 0, u, Gu, TB - B, 1, w->h[s] + (rev ? (size_t)B * u : 0), u, dzh + (rev ? 0 : (size_t)B * Gu), Gu, 1,
           grad + m->U[s], Gu);
    if (m->rb[s] >= 0) {
        real *grb = grad + m->rb[s];
        for (int r = 0; r < TB; r++)
            for (int j = 0; j < Gu; j++)
                grb[j] += dzh[(size_t)r * Gu + j];
    }
}

static double bce_from_logit(real z, real y) {
    /* log(1 + e^-|z|) + max(z, 0) - z y, stable for any z. */
    double zz = z;
    return (zz > 0 ? zz : 0) - zz * y + log1p(exp(-fabs(zz)));
}

/* ---- pooling over time: the top layer's output (T,B,H) -> (B,H), H = dirs x u ---- */

/* The step whose state is column j's final one: T - 1, or 0 for the
 * reverse cell's columns (u .. 2u - 1). */
static int last_step(const Model *m, const Work *w, int j) { return j < m->cfg.units ? w->T - 1 : 0; }

/* The pooled state (B,H): the final states (POOL_LAST: the top cell's h at
 * T - 1, no copy, with one direction), or the mean or the maximum over each
 * sequence's non-padding steps (zero for a sequence of padding only; a max's
 * step kept in argmax, the first of ties). */
static const real *pool_forward(const Model *m, Work *w) {
    int T = w->T, B = w->B, H = m->out_width, pool = m->cfg.pool;
    const real *top = layer_out(m, w, m->cfg.layers - 1); // (T,B,H)
    if (pool == POOL_LAST && m->dirs == 1)
        return top + (size_t)(T - 1) * B * H;
    for (int b = 0; b < B; b++) {
        real *p = w->pooled + (size_t)b * H; // (B,H)
        int32_t *arg = w->argmax + (size_t)b * H;
        int n = 0;
        for (int j = 0; j < H; j++)
            p[j] = pool == POOL_LAST ? top[((size_t)last_step(m, w, j) * B + b) * H + j] : 0, arg[j] = -1;
        for (int t = 0; t < T && pool != POOL_LAST; t++) {
            if (!w->valid[t * B + b])
                continue;
            const real *ht = top + ((size_t)t * B + b) * H;
            for (int j = 0; j < H; j++)
                if (pool == POOL_MEAN)
                    p[j] += ht[j];
                else if (arg[j] < 0 || ht[j] > p[j])
                    p[j] = ht[j], arg[j] = t;
            n++;
        }
        if (pool == POOL_MEAN && n > 0) {
            real inv = (real)1 / (real)n;
            for (int j = 0; j < H; j++)
                p[j] *= inv;
        }
    }
    return w->pooled;
}

/* dL/d(top output) (T,B,H) from dL/dpooled = wd x dlogit (B,H): all at each
 * column's final step, shared equally by the non-padding steps (mean), or
 * at each maximum's step (max); zero elsewhere. Then to the top cells' dh. */
static void pool_backward(const Model *m, Work *w) {
    int T = w->T, B = w->B, H = m->out_width, L = m->cfg.layers;
    const real *wd = m->params + m->dense_w;
    real *dtop = layer_dout(m, w, L - 1);
    memset(dtop, 0, (size_t)T * B * H * sizeof(real));
    for (int b = 0; b < B; b++) {
        if (m->cfg.pool == POOL_LAST) {
            for (int j = 0; j < H; j++)
                dtop[((size_t)last_step(m, w, j) * B + b) * H + j] = wd[j] * w->dlogit[b];
        } else if (m->cfg.pool == POOL_MAX) {
            for (int j = 0; j < H; j++)
                if (w->argmax[(size_t)b * H + j] >= 0)
                    dtop[((size_t)w->argmax[(size_t)b * H + j] * B + b) * H + j] = wd[j] * w->dlogit[b];
        } else {
            int n = 0;
            for (int t = 0; t < T; t++)
                n += w->valid[t * B + b];
            if (n == 0)
                continue;
            real inv = (real)1 / (real)n;
            for (int t = 0; t < T; t++)
                if (w->valid[t * B + b])
                    for (int j = 0; j < H; j++)
                        dtop[((size_t)t * B + b) * H + j] = wd[j] * w->dlogit[b] * inv;
        }
    }
    if (m->dirs == 2)
        concat_backward(m, w, L - 1);
}

/* ---- head: p = sigmoid(pooled wd + bd), binary cross-entropy ---- */

/* The loss summed over the chunk; probabilities (B) to probs if wanted;
 * dlogit (B) = (p - y) x scale for the backward pass. */
static double head_forward(const Model *m, Work *w, const real *last, const real *labels, real scale, real *probs) {
    int B = w->B, H = m->out_width;
    const real *wd = m->params + m->dense_w; // last (B,H), wd (H)
    double loss = 0;
    for (int b = 0; b < B; b++) {
        real z = m->params[m->dense_b];
        for (int j = 0; j < H; j++)
            z += last[(size_t)b * H + j] * wd[j];
        real p = fast_sigmoid(z);
        if (probs)
            probs[b] = p;
        if (labels) {
            loss += bce_from_logit(z, labels[b]);
            w->dlogit[b] = (p - labels[b]) * scale;
        }
    }
    return loss;
}

/* dL/dwd (H) and dL/dbd to grad, from the pooled state last (B,H). */
static void head_backward(const Model *m, Work *w, const real *last, real *grad) {
    int B = w->B, H = m->out_width;
    real *gwd = grad + m->dense_w;
    for (int b = 0; b < B; b++) {
        for (int j = 0; j < H; j++)
            gwd[j] += last[(size_t)b * H + j] * w->dlogit[b];
        grad[m->dense_b] += w->dlogit[b];
    }
}

double model_chunk(const Model *m, Work *w, const int32_t *tokens, const real *labels, int B, int training,
                   uint64_t dropout_seed, const uint64_t *sample_ids, real scale, real *grad, real *probs) {
    const ModelConfig *c = &m->cfg;
    int drop = training && c->dropout > 0, rdrop = training && c->recurrent_dropout > 0, dirs = m->dirs;
    chunk_setup(m, w, tokens, B, training, dropout_seed, sample_ids);

    // forward: layer 0 reads x0 (the distinct tokens' vectors xu x mask) under input
    // dropout, else xu itself (input_forward_summed)
    const real *xu = c->onehot ? NULL : distinct_inputs(m, w); // (nuniq,D)
    if (xu && drop)
        masked_input_forward(m, w, xu);
    for (int l = 0; l < c->layers; l++) {
        if (l > 0)
            dropout_forward(m, w, l, drop);
        for (int d = 0; d < dirs; d++) {
            if (l == 0 && c->onehot)
                onehot_forward(m, w, d); /* l = 0: cell d */
            else if (l == 0 && !drop)
                input_forward_summed(m, w, d, xu);
            else
                input_forward(m, w, l, l * dirs + d);
            recurrent_forward(m, w, l, d, rdrop);
        }
        if (dirs == 2)
            concat_forward(m, w, l);
    }
    const real *pooled = pool_forward(m, w);
    double loss = head_forward(m, w, pooled, labels, scale, probs);
    if (!grad || !labels)
        return loss;

    // backward, in reverse
    memset(grad + m->dense_from, 0, (size_t)(m->nparams - m->dense_from) * sizeof(real));
    head_backward(m, w, pooled, grad);
    pool_backward(m, w);
    for (int l = c->layers - 1; l >= 0; l--) {
        for (int d = 0; d < dirs; d++) {
            recurrent_backward(m, w, l, d, rdrop, grad);
            bias_backward(m, w, l * dirs + d, grad);
        }
        if (l == 0 && c->onehot) {
            onehot_backward(m, w);
            continue;
        }
        int need_dx = !(l == 0 && c->freeze); /* a frozen table takes no gradient */
        if (l == 0 && !drop) {                /* x0's rows repeat the distinct tokens' vectors */
            input_backward_summed(m, w, need_dx, grad);
            continue;
        }
        for (int d = 0; d < dirs; d++)
            input_backward(m, w, l, l * dirs + d, need_dx, d > 0, grad);
        if (!need_dx)
            continue;
        if (l > 0) {
            dropout_backward(m, w, l, drop, layer_dout(m, w, l - 1));
        } else { /* the embedding's rows: per position in dx, then per distinct token */
            dropout_backward(m, w, 0, drop, w->dx);
            token_grads(m, w);
        }
        if (l > 0 && dirs == 2)
            concat_backward(m, w, l - 1);
    }
    return loss;
}

static int has_row_grads(const Model *m) { return m->cfg.onehot || !m->cfg.freeze; }

void model_add_row_grads_part(const Model *m, const Work *w, real *grad, int part, int parts) {
    if (!has_row_grads(m))
        return;
    if (m->cfg.rows) {
        subword_scatter(m, w, grad, part, parts);
        return;
    }
    int64_t width = m->sparse_width;
    int n = m->cfg.onehot ? w->T * w->B : w->nuniq; /* one-hot: per position; an embedding: per distinct token */
    for (int i = 0; i < n; i++) {
        int32_t row = m->cfg.onehot ? w->tok[i] : w->uniq[i];
        if (!in_part(row, part, parts))
            continue;
        real *g = grad + (int64_t)row * width;
        const real *d = w->rowgrad + (size_t)i * width;
#pragma omp simd
        for (int64_t j = 0; j < width; j++)
            g[j] += d[j];
    }
}

void model_add_row_grads(const Model *m, const Work *w, real *grad) { model_add_row_grads_part(m, w, grad, 0, 1); }

int64_t model_row_grad_size(const Model *m, const Work *w) {
    if (!has_row_grads(m))
        return 0;
    if (m->cfg.onehot)
        return (int64_t)w->T * w->B * m->sparse_width;
    int64_t rows = w->nuniq;
    if (m->cfg.rows)
        for (int u = 0; u < w->nuniq; u++)
            rows += m->cfg.rows->start[w->uniq[u] + 1] - m->cfg.rows->start[w->uniq[u]] - 1;
    return rows * m->sparse_width;
}

/* Calls fn(row, ctx) for each table row the chunk reads, in order of first
 * occurrence (the distinct tokens in that order visit the same rows in the
 * same order as the positions would): the token's row, or its subword rows. */
static void each_row(const Model *m, const Work *w, void (*fn)(int32_t row, void *ctx), void *ctx) {
    const TokenRows *r = m->cfg.rows;
    int n = m->cfg.onehot ? w->T * w->B : w->nuniq;
    for (int i = 0; i < n; i++) {
        int32_t tok = m->cfg.onehot ? w->tok[i] : w->uniq[i];
        if (!r) {
            fn(tok, ctx);
            continue;
        }
        for (int64_t k = r->start[tok]; k < r->start[tok + 1]; k++)
            fn(r->row[k], ctx);
    }
}

typedef struct {
    real *grad;
    int64_t width;
} ClearCtx;

static void clear_row(int32_t row, void *ctx) {
    ClearCtx *c = ctx;
    memset(c->grad + (int64_t)row * c->width, 0, c->width * sizeof(real));
}

void model_clear_row_grads(const Model *m, const Work *w, real *grad) {
    if (!has_row_grads(m))
        return;
    ClearCtx c = {grad, m->sparse_width};
    each_row(m, w, clear_row, &c);
}

typedef struct {
    uint8_t *seen;
    int32_t *list;
    int64_t n;
} ListCtx;

static void list_row(int32_t row, void *ctx) {
    ListCtx *c = ctx;
    if (!c->seen[row]) {
        c->seen[row] = 1;
        c->list[c->n++] = row;
    }
}

int64_t model_row_list(const Model *m, const Work *w, uint8_t *seen, int32_t *list, int64_t n) {
    ListCtx c = {seen, list, n};
    each_row(m, w, list_row, &c);
    return c.n;
}
