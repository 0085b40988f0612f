/* embed/w2v_update.c: one stochastic gradient step of word2vec
 * (embed/word2vec.h, w2v_update), as small matrix products (HogBatch, Ji et
 * al. 2016).
 *
 * Skip-gram: the k context words of a window (k <= 2 * window) meet the same
 * n output rows (the centre word and one shared set of negatives, or the
 * centre word's Huffman path). The k x n dot products F = X Y^T, the
 * gradient factors G = alpha (label - sigmoid(F)), and the two steps G Y
 * (inputs) and G^T X (outputs) are three small products (core/smallmat.h)
 * whose dot products do not wait on each other, where a pair at a time each
 * one waited on the sum, the sigmoid and the update of the one before.
 * Every row is read once per window.
 *
 * CBOW: one hidden vector (the mean of the context rows) against the n
 * output rows: the same products with k = 1.
 *
 * With subwords a word's input vector is the mean of its own row and its
 * n-gram rows, composed in scratch; its gradient goes to each of those rows
 * (add_to_input).
 *
 * Without subwords every loop runs over a row's whole stride (row_floats):
 * the padding past dim is 0 in syn0 and syn1 (word2vec.c trainer_weights)
 * and stays 0, since each step adds products of padding, so the values are
 * the same, and a dim of 100 runs as 7 full vectors instead of 6 and a
 * scalar tail of 4 in every row loop. */
#include <string.h>

#include "core/fastmath.h"
#include "core/smallmat.h"
#include "embed/word2vec.h"

#define MAX_EXP 6.0f

/* Pointers and floats of scratch: pointers first, so they stay aligned. */
#define PTR_FLOATS (sizeof(void *) / sizeof(float))

/* Floats a row loop runs over: the padded stride, or dim when input
 * vectors are composed from n-gram rows (which have no padding). */
static int row_floats(const W2vNet *net) { return net->sub ? net->dim : (int)w2v_stride(net); }

size_t w2v_scratch_floats(const W2vNet *net, int nin, int nout) {
    int dim = row_floats(net);
    size_t ptrs = (size_t)3 * nin + 2 * (size_t)nout; /* inputs, their gradients, outputs, output gradients */
    return ptrs * PTR_FLOATS + (size_t)nin * nout + ((size_t)2 * nin + nout + 2) * dim;
}

const float *w2v_input_vector(const W2vNet *net, int32_t w, float *buf) {
    const float *row = net->syn0 + (int64_t)w * w2v_stride(net);
    if (!net->sub)
        return row;
    const SubwordTable *sub = net->sub;
    subword_mean(buf, row, net->ngram, sub->row + sub->start[w], sub->start[w + 1] - sub->start[w], net->dim);
    return buf;
}

/* Adds g to every row that makes up word w's input vector. */
static void add_to_input(const W2vNet *net, int32_t w, const float *g) {
    int dim = row_floats(net);
    float *x = net->syn0 + (int64_t)w * w2v_stride(net);
#pragma omp simd
    for (int d = 0; d < dim; d++)
        x[d] += g[d];
    if (!net->sub)
        return;
    for (int64_t k = net->sub->start[w]; k < net->sub->start[w + 1]; k++) {
        float *r = net->ngram + (int64_t)net->sub->row[k] * dim;
#pragma omp simd
        for (int d = 0; d < dim; d++)
            r[d] += g[d];
    }
}

/* f[i * nout + o] (the dot products) becomes the gradient factor of its
 * pair: alpha (label - sigmoid(f)); where |f| > MAX_EXP, as word2vec.c, NS
 * takes the sigmoid as 0 or 1 and HS skips the pair (factor 0). */
static void gradient_factors(float *f, int nin, const float *label, int nout, float alpha, int hs) {
    for (int i = 0; i < nin; i++) {
        float *fi = f + (size_t)i * nout;
#pragma omp simd
        for (int o = 0; o < nout; o++) {
            float x = fi[o], l = label[o];
            float g = (l - fast_sigmoid(x)) * alpha;
            g = x > MAX_EXP ? (hs ? 0 : (l - 1) * alpha) : g;
            g = x < -MAX_EXP ? (hs ? 0 : l * alpha) : g;
            fi[o] = g;
        }
    }
}

/* Lays out scratch: pointer arrays, then floats. */
typedef struct {
    const float **x;    /* [nin] input vectors */
    float **gx;         /* [nin] where their gradients go */
    float **y;          /* [nout] output rows */
    float **gy;         /* [nout] output gradients */
    float *f;           /* [nin x nout] dot products, then gradient factors */
    float *composed;    /* [nin x dim] composed input vectors (subwords) */
    float *grad_in;     /* [nin x dim] */
    float *grad_out;    /* [nout x dim] */
    float *hidden;      /* [dim] CBOW */
    float *hidden_grad; /* [dim] CBOW */
} Scratch;

static Scratch scratch_layout(float *s, int nin, int nout, int dim) {
    Scratch l;
    void **p = (void **)s;
    l.x = (const float **)p;
    l.gx = (float **)(p + nin);
    l.y = (float **)(p + 2 * nin);
    l.gy = (float **)(p + 2 * nin + nout);
    float *f = s + ((size_t)3 * nin + 2 * (size_t)nout) * PTR_FLOATS;
    l.f = f;
    l.composed = f + (size_t)nin * nout;
    l.grad_in = l.composed + (size_t)nin * dim;
    l.grad_out = l.grad_in + (size_t)nin * dim;
    l.hidden = l.grad_out + (size_t)nout * dim;
    l.hidden_grad = l.hidden + dim;
    return l;
}

/* Skip-gram: every input vector in[j] against every output row out[o]. */
static void update_sg(const W2vNet *net, const int32_t *in, int nin, const int32_t *out, const float *label, int nout,
                      float alpha, float *scratch) {
    int dim = row_floats(net);
    int64_t stride = w2v_stride(net);
    Scratch s = scratch_layout(scratch, nin, nout, dim);
    for (int j = 0; j < nin; j++)
        s.x[j] = w2v_input_vector(net, in[j], s.composed + (size_t)j * dim);
    for (int o = 0; o < nout; o++) {
        s.y[o] = net->syn1 + (int64_t)out[o] * stride;
        s.gy[o] = s.grad_out + (size_t)o * dim;
    }
    rows_dots(s.x, nin, (const float *const *)s.y, nout, dim, s.f);
    gradient_factors(s.f, nin, label, nout, alpha, net->hs);
    /* The outputs' steps G^T X first, while X is as it was. */
    memset(s.grad_out, 0, sizeof(float) * nout * dim);
    rows_add_combination(s.gy, nout, s.f, 1, nout, s.x, nin, dim);
    if (!net->sub) {
        /* The inputs' steps G Y straight into their rows (a word twice in
         * the window gets both). */
        for (int j = 0; j < nin; j++)
            s.gx[j] = net->syn0 + (int64_t)in[j] * stride;
        rows_add_combination(s.gx, nin, s.f, nout, 1, (const float *const *)s.y, nout, dim);
    } else {
        for (int j = 0; j < nin; j++)
            s.gx[j] = s.grad_in + (size_t)j * dim;
        memset(s.grad_in, 0, sizeof(float) * nin * dim);
        rows_add_combination(s.gx, nin, s.f, nout, 1, (const float *const *)s.y, nout, dim);
        for (int j = 0; j < nin; j++)
            add_to_input(net, in[j], s.gx[j]);
    }
    for (int o = 0; o < nout; o++) {
        float *y = s.y[o];
        const float *gy = s.gy[o];
#pragma omp simd
        for (int d = 0; d < dim; d++)
            y[d] += gy[d];
    }
}

/* CBOW with subwords: the sum of every row of every context word,
 * fastText's bag (the words' rows and their n-grams' rows), into hidden;
 * returns how many rows. */
static int64_t cbow_sum_subwords(const W2vNet *net, const int32_t *ctx, int nctx, float *hidden) {
    int dim = row_floats(net);
    int64_t stride = w2v_stride(net);
    const SubwordTable *sub = net->sub;
    memset(hidden, 0, dim * sizeof(float));
    int64_t rows = 0;
    for (int j = 0; j < nctx; j++) {
        const float *x = net->syn0 + (int64_t)ctx[j] * stride;
#pragma omp simd
        for (int d = 0; d < dim; d++)
            hidden[d] += x[d];
        rows++;
        for (int64_t k = sub->start[ctx[j]]; k < sub->start[ctx[j] + 1]; k++, rows++) {
            const float *r = net->ngram + (int64_t)sub->row[k] * dim;
#pragma omp simd
            for (int d = 0; d < dim; d++)
                hidden[d] += r[d];
        }
    }
    return rows;
}

/* CBOW: the hidden vector (the mean of the context rows) predicts the
 * centre word; its gradient goes back to every row that made it. Without
 * subwords the context rows are summed in registers (rows_sum), not through
 * memory once a row, in the same order, so to the same bits; and their
 * gradient is loaded once for all of them (rows_add_to_each). */
static void update_cbow(const W2vNet *net, const int32_t *ctx, int nctx, const int32_t *out, const float *label,
                        int nout, float alpha, float *scratch) {
    int dim = row_floats(net);
    int64_t stride = w2v_stride(net);
    Scratch s = scratch_layout(scratch, nctx, nout, dim);
    int64_t rows = nctx;
    if (net->sub)
        rows = cbow_sum_subwords(net, ctx, nctx, s.hidden);
    else {
        for (int j = 0; j < nctx; j++)
            s.gx[j] = net->syn0 + (int64_t)ctx[j] * stride;
        rows_sum(s.hidden, (const float *const *)s.gx, nctx, dim);
    }
    float inv = 1.0f / rows; /* the sum becomes the mean */
#pragma omp simd
    for (int d = 0; d < dim; d++)
        s.hidden[d] *= inv;
    for (int o = 0; o < nout; o++)
        s.y[o] = net->syn1 + (int64_t)out[o] * stride;
    const float *h = s.hidden;
    rows_dots(&h, 1, (const float *const *)s.y, nout, dim, s.f);
    gradient_factors(s.f, 1, label, nout, alpha, net->hs);
    /* The hidden vector's gradient G Y, then the outputs' steps G^T h. */
    memset(s.hidden_grad, 0, dim * sizeof(float));
    rows_add_combination(&s.hidden_grad, 1, s.f, 0, 1, (const float *const *)s.y, nout, dim);
    rows_add_combination(s.y, nout, s.f, 1, 0, &h, 1, dim);
    if (net->sub)
        for (int j = 0; j < nctx; j++)
            add_to_input(net, ctx[j], s.hidden_grad);
    else /* a word twice in the window gets it twice */
        rows_add_to_each(s.gx, nctx, s.hidden_grad, dim);
}

void w2v_update(const W2vNet *net, int model, const int32_t *in, int nin, const int32_t *out, const float *label,
                int nout, float alpha, float *scratch) {
    if (model == W2V_SG)
        update_sg(net, in, nin, out, label, nout, alpha, scratch);
    else
        update_cbow(net, in, nin, out, label, nout, alpha, scratch);
}
