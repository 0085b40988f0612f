/* embed/word2vec.c: the trainer.
 *
 * Cost model. Per centre word, skip-gram touches k context rows of syn0
 * (k <= 2 * window) and n output rows of syn1 (1 + negative, or the Huffman
 * path), and does k * n dot products and as many row updates of dim floats.
 * The rows fit in L1; the cache misses are the row fetches, so sharing the
 * output rows across the window cuts misses from k * (n + 1) to k + n. The
 * inner loops are plain loops over dim that gcc vectorises (omp simd).
 *
 * With subwords, a context word's input vector is the mean of 1 + g rows (g
 * its n-grams: 10 to 20 for a word at 3-6), so per centre word the input
 * side reads and writes k * (1 + g) rows instead of k; the output side is
 * unchanged. The n-gram rows of every word are hashed once before training
 * (embed/subword.h, SubwordTable), never in the loop. */
#include "embed/word2vec.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/memory.h"
#include "core/fastmath.h"
#include "core/vecmath.h"
#include "core/progress.h"
#include "core/rng.h"
#include "embed/data/vocab.h"

#define MAX_EXP 6.0f
#define MAX_CODE 64

void w2v_defaults(W2vParams *p) {
    memset(p, 0, sizeof *p);
    opt_defaults(&w2v_options, p); /* the defaults are the option table's (embed/trainer_word2vec.c) */
}

int64_t w2v_memory(const W2vParams *p, int64_t nwords, int64_t ngram_rows, int64_t ngram_refs) {
    int64_t row = (int64_t)p->dim * (int64_t)sizeof(float);
    int64_t weights = 2 * nwords * row;
    int64_t tables = nwords * (int64_t)(sizeof(float) + sizeof(int32_t) + sizeof(int64_t) + sizeof(uint32_t));
    if (p->loss == W2V_HS)
        tables += nwords * (int64_t)(MAX_CODE * (sizeof(int32_t) + 1) + 1);
    /* Subwords: the n-gram rows and their buckets, the table of each word's
     * n-grams, and the words' mean vectors made at the end. */
    if (ngram_rows > 0)
        weights += ngram_rows * (row + (int64_t)sizeof(uint32_t)) + nwords * row +
                   (nwords + 1) * (int64_t)sizeof(int64_t) + ngram_refs * (int64_t)sizeof(int32_t);
    return weights + tables;
}

/* ---- negative sampling: Vose's alias method over count^0.75 ---- */

typedef struct {
    float *prob;
    int32_t *alias;
    int32_t n;
} Alias;

static void alias_build(Alias *a, const int64_t *count, int32_t n) {
    a->n = n;
    a->prob = xmalloc(n * sizeof *a->prob);
    a->alias = xmalloc(n * sizeof *a->alias);
    double *p = xmalloc(n * sizeof *p), total = 0;
    for (int32_t i = 0; i < n; i++)
        total += p[i] = pow((double)count[i], 0.75);
    int32_t *small = xmalloc(n * sizeof *small), *large = xmalloc(n * sizeof *large), ns = 0, nl = 0;
    for (int32_t i = 0; i < n; i++) {
        p[i] = p[i] * n / total;
        if (p[i] < 1)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns && nl) {
        int32_t s = small[--ns], l = large[--nl];
        a->prob[s] = (float)p[s];
        a->alias[s] = l;
        p[l] -= 1 - p[s];
        if (p[l] < 1)
            small[ns++] = l;
        else
            large[nl++] = l;
    }
    while (nl)
        a->prob[large[--nl]] = 1, a->alias[large[nl]] = large[nl];
    while (ns)
        a->prob[small[--ns]] = 1, a->alias[small[ns]] = small[ns];
    free(p);
    free(small);
    free(large);
}

static inline int32_t alias_draw(const Alias *a, Rng *r) {
    uint64_t x = rng_next(r);
    int32_t i = (int32_t)(((x >> 32) * (uint64_t)a->n) >> 32);
    float u = (uint32_t)x * (1.0f / 4294967296.0f);
    return u < a->prob[i] ? i : a->alias[i];
}

static void alias_free(Alias *a) {
    free(a->prob);
    free(a->alias);
}

/* ---- hierarchical softmax: the Huffman tree of word2vec.c ---- */

typedef struct {
    uint8_t *codelen; /* [n] */
    uint8_t *code;    /* [n x MAX_CODE] bits, root first */
    int32_t *point;   /* [n x MAX_CODE] inner-node rows of syn1, root first */
} Huffman;

static int huffman_build(Huffman *h, const int64_t *count, int32_t n) {
    /* counts are sorted descending, so two queues (leaves, new nodes) suffice. */
    int64_t *weight = xmalloc(2 * (size_t)n * sizeof *weight);
    int32_t *parent = xmalloc(2 * (size_t)n * sizeof *parent);
    uint8_t *bit = xcalloc(2 * (size_t)n, 1);
    for (int32_t i = 0; i < n; i++)
        weight[i] = count[i];
    for (int32_t i = n; i < 2 * n; i++)
        weight[i] = INT64_MAX;
    int32_t leaf = n - 1, node = n;
    for (int32_t a = 0; a < n - 1; a++) {
        int32_t m[2];
        for (int t = 0; t < 2; t++) {
            if (leaf >= 0 && weight[leaf] < weight[node])
                m[t] = leaf--;
            else
                m[t] = node++;
        }
        weight[n + a] = weight[m[0]] + weight[m[1]];
        parent[m[0]] = n + a;
        parent[m[1]] = n + a;
        bit[m[1]] = 1;
    }
    h->codelen = xcalloc(n, 1);
    h->code = xcalloc((size_t)n * MAX_CODE, 1);
    h->point = xcalloc((size_t)n * MAX_CODE, sizeof *h->point);
    int32_t root = 2 * n - 2;
    for (int32_t w = 0; w < n; w++) {
        uint8_t code[MAX_CODE];
        int32_t point[MAX_CODE], len = 0;
        for (int32_t b = w; b != root && n > 1; b = parent[b]) {
            if (len == MAX_CODE) {
                free(weight), free(parent), free(bit);
                return el_fail("Huffman code longer than %d bits", MAX_CODE);
            }
            code[len] = bit[b];
            point[len] = parent[b] - n; /* inner node row in syn1 */
            len++;
        }
        h->codelen[w] = (uint8_t)len;
        for (int32_t i = 0; i < len; i++) { /* reverse: root first */
            h->code[(size_t)w * MAX_CODE + i] = code[len - 1 - i];
            h->point[(size_t)w * MAX_CODE + i] = point[len - 1 - i];
        }
    }
    free(weight);
    free(parent);
    free(bit);
    return 0;
}

static void huffman_free(Huffman *h) {
    free(h->codelen);
    free(h->code);
    free(h->point);
}

/* ---- one update: the weights and the input vectors ---- */

/* The gradient factor of one (input, output) pair, or 0 for a pair to skip. */
static inline float pair_gradient(float f, float label, float alpha, int hs) {
    if (f > MAX_EXP)
        return hs ? 0 : (label - 1) * alpha;
    if (f < -MAX_EXP)
        return hs ? 0 : label * alpha;
    return (label - fast_sigmoid(f)) * alpha;
}

/* The input vector of word w: its syn0 row itself, or with subwords the mean
 * of that row and its n-gram rows, composed into buf. */
static inline const float *input_vector(const W2vNet *net, int32_t w, float *buf) {
    const float *row = net->syn0 + (int64_t)w * net->dim;
    if (!net->sub)
        return row;
    const SubwordTable *sub = net->sub;
    subword_mean(buf, row, net->ngram, sub->row + sub->start[w], sub->start[w + 1] - sub->start[w], net->dim);
    return buf;
}

/* Adds g to every row that makes up word w's input vector. */
static inline void add_to_input(const W2vNet *net, int32_t w, const float *g) {
    int dim = net->dim;
    float *x = net->syn0 + (int64_t)w * dim;
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

size_t w2v_scratch_floats(int nin, int nout, int dim) { return ((size_t)2 * nin + nout + 2) * dim; }

/* Skip-gram: updates nin input vectors against nout output rows (all
 * pairs), reading every row once. */
static void update_sg(const W2vNet *net, const int32_t *in, int nin, const int32_t *out, const float *label, int nout,
                      float alpha, float *scratch) {
    int dim = net->dim;
    float *grad_in = scratch, *grad_out = grad_in + (size_t)nin * dim, *composed = grad_out + (size_t)nout * dim;
    memset(grad_in, 0, sizeof(float) * nin * dim);
    memset(grad_out, 0, sizeof(float) * nout * dim);
    for (int j = 0; j < nin; j++) {
        const float *x = input_vector(net, in[j], composed + (size_t)j * dim);
        float *gx = grad_in + j * dim;
        for (int o = 0; o < nout; o++) {
            const float *y = net->syn1 + (int64_t)out[o] * dim;
            float g = pair_gradient(vec_dot_f32(x, y, dim), label[o], alpha, net->hs);
            if (g == 0)
                continue;
            float *gy = grad_out + o * dim;
#pragma omp simd
            for (int d = 0; d < dim; d++) {
                gx[d] += g * y[d];
                gy[d] += g * x[d];
            }
        }
    }
    for (int o = 0; o < nout; o++) {
        float *y = net->syn1 + (int64_t)out[o] * dim;
        const float *gy = grad_out + o * dim;
#pragma omp simd
        for (int d = 0; d < dim; d++)
            y[d] += gy[d];
    }
    for (int j = 0; j < nin; j++)
        add_to_input(net, in[j], grad_in + j * dim);
}

/* CBOW: the mean of the context words' rows (with subwords, every row of
 * every context word, as fastText's bag) predicts the centre word; its
 * gradient goes back to every one of those rows. */
static void update_cbow(const W2vNet *net, const int32_t *ctx, int nctx, const int32_t *out, const float *label,
                        int nout, float alpha, float *scratch) {
    int dim = net->dim;
    float *hidden = scratch, *grad_in = scratch + dim;
    const SubwordTable *sub = net->sub;
    memset(hidden, 0, dim * sizeof(float));
    int64_t rows = 0;
    for (int j = 0; j < nctx; j++) {
        const float *x = net->syn0 + (int64_t)ctx[j] * dim;
#pragma omp simd
        for (int dd = 0; dd < dim; dd++)
            hidden[dd] += x[dd];
        rows++;
        for (int64_t k = sub ? sub->start[ctx[j]] : 0; sub && k < sub->start[ctx[j] + 1]; k++, rows++) {
            const float *r = net->ngram + (int64_t)sub->row[k] * dim;
#pragma omp simd
            for (int dd = 0; dd < dim; dd++)
                hidden[dd] += r[dd];
        }
    }
    float inv = 1.0f / rows;
    for (int dd = 0; dd < dim; dd++)
        hidden[dd] *= inv;
    memset(grad_in, 0, dim * sizeof(float));
    for (int o = 0; o < nout; o++) {
        float *y = net->syn1 + (int64_t)out[o] * dim;
        float g = pair_gradient(vec_dot_f32(hidden, y, dim), label[o], alpha, net->hs);
        if (g == 0)
            continue;
#pragma omp simd
        for (int dd = 0; dd < dim; dd++) {
            grad_in[dd] += g * y[dd];
            y[dd] += g * hidden[dd];
        }
    }
    for (int j = 0; j < nctx; j++)
        add_to_input(net, ctx[j], grad_in);
}

void w2v_update(const W2vNet *net, int model, const int32_t *in, int nin, const int32_t *out, const float *label,
                int nout, float alpha, float *scratch) {
    if (model == W2V_SG)
        update_sg(net, in, nin, out, label, nout, alpha, scratch);
    else
        update_cbow(net, in, nin, out, label, nout, alpha, scratch);
}

/* ---- the shared state of one training run ---- */

typedef struct {
    const W2vParams *p;
    int dim;
    int32_t nwords;
    W2vNet net;
    SubwordTable sub;
    Alias neg;
    Huffman huff;
    uint32_t *keep;     /* [nwords] subsampling: keep a word when a random u32 < keep */
    int32_t *stream;    /* vocabulary ids of the corpus, documents concatenated */
    int64_t *doc_start; /* [ndocs + 1] offsets into stream */
    int64_t ndocs, train_words;
    int64_t progress; /* words done, shared; updated atomically in batches */
    double alpha0;
} Trainer;

/* The output rows for centre word w: w and shared negatives, or w's path. */
static int outputs_for(Trainer *t, int32_t w, Rng *rng, int32_t *out, float *label) {
    if (t->p->loss == W2V_HS) {
        int len = t->huff.codelen[w];
        for (int i = 0; i < len; i++) {
            out[i] = t->huff.point[(size_t)w * MAX_CODE + i];
            label[i] = 1.0f - t->huff.code[(size_t)w * MAX_CODE + i];
        }
        return len;
    }
    int n = 0;
    out[n] = w;
    label[n++] = 1;
    for (int k = 0; k < t->p->negative; k++) {
        int32_t neg = alias_draw(&t->neg, rng);
        if (neg == w)
            continue; /* as word2vec.c: a draw of the target is dropped */
        out[n] = neg;
        label[n++] = 0;
    }
    return n;
}

/* Runs one thread's epochs over documents [d0, d1). Returns words processed. */
static int64_t train_share(Trainer *t, int64_t d0, int64_t d1, int tid, Progress *bar) {
    const W2vParams *p = t->p;
    int window = p->window;
    Rng rng;
    rng_seed(&rng, p->seed * 1000003u + (uint64_t)tid);
    int64_t maxlen = 0;
    for (int64_t d = d0; d < d1; d++)
        if (t->doc_start[d + 1] - t->doc_start[d] > maxlen)
            maxlen = t->doc_start[d + 1] - t->doc_start[d];
    int32_t *sen = xmalloc((maxlen + 1) * sizeof *sen);
    int maxout = (p->loss == W2V_HS ? MAX_CODE : p->negative + 1);
    int32_t *ctx = xmalloc(2 * window * sizeof *ctx), *out = xmalloc(maxout * sizeof *out);
    float *label = xmalloc(maxout * sizeof *label);
    float *scratch = xmalloc(w2v_scratch_floats(2 * window, maxout, t->dim) * sizeof(float));
    double total = (double)p->epochs * t->train_words + 1;
    int64_t done = 0, pending = 0;
    float alpha = (float)t->alpha0;
    for (int epoch = 0; epoch < p->epochs && !el_stop; epoch++) {
        for (int64_t d = d0; d < d1 && !el_stop; d++) { /* Ctrl-C: every thread stops at its next document */
            const int32_t *words = t->stream + t->doc_start[d];
            int64_t n = t->doc_start[d + 1] - t->doc_start[d], len = 0;
            for (int64_t i = 0; i < n; i++)
                if ((uint32_t)rng_next(&rng) < t->keep[words[i]])
                    sen[len++] = words[i];
            pending += n;
            if (pending >= 10000) {
                int64_t now = __atomic_add_fetch(&t->progress, pending, __ATOMIC_RELAXED);
                done += pending;
                pending = 0;
                alpha = (float)(t->alpha0 * (1 - now / total));
                if (alpha < t->alpha0 * 1e-4)
                    alpha = (float)(t->alpha0 * 1e-4);
                if (tid == 0 && bar->enabled) {
                    char note[48];
                    snprintf(note, sizeof note, "alpha %.5f", alpha);
                    progress_update(bar, (double)now, note);
                }
            }
            for (int64_t pos = 0; pos < len; pos++) {
                int32_t w = sen[pos];
                int b = (int)rng_below(&rng, (uint64_t)window); /* shrink the window by b */
                int nctx = 0;
                for (int64_t c = pos - window + b; c <= pos + window - b; c++)
                    if (c >= 0 && c < len && c != pos)
                        ctx[nctx++] = sen[c];
                if (nctx == 0)
                    continue;
                int nout = outputs_for(t, w, &rng, out, label);
                w2v_update(&t->net, p->model, ctx, nctx, out, label, nout, alpha, scratch);
            }
        }
    }
    __atomic_add_fetch(&t->progress, pending, __ATOMIC_RELAXED);
    done += pending;
    free(sen), free(ctx), free(out), free(label), free(scratch);
    return done;
}

/* ---- w2v_train's stages, in the order it calls them ---- */

/* Frees what the stages below have built in t; zeroed parts are skipped. */
static void trainer_free(Trainer *t) {
    free(t->net.syn0), free(t->net.syn1), free(t->net.ngram);
    free(t->keep), free(t->stream), free(t->doc_start);
    subword_table_free(&t->sub);
    if (t->p->loss == W2V_NS)
        alias_free(&t->neg);
    else
        huffman_free(&t->huff);
}

/* The vocabulary: ranked words with count >= min_count, at most max_vocab,
 * into m->words and m->count (t->nwords, t->train_words set). Returns the map
 * from dict id to row (-1: not a vocabulary word), or NULL with a message when
 * fewer than two words remain. */
static int32_t *trainer_vocab(Trainer *t, const Corpus *c, unsigned split_mask, W2vModel *m) {
    const W2vParams *p = t->p;
    Vocab v;
    vocab_build(&v, c, split_mask);
    int32_t n = vocab_count_at_least(&v, p->min_count > 0 ? p->min_count : 1);
    if (p->max_vocab > 0 && n > p->max_vocab)
        n = (int32_t)p->max_vocab;
    if (n < 2) {
        vocab_free(&v);
        el_fail("the corpus has %d word(s) seen at least %lld times; word2vec needs two or more", n,
                (long long)p->min_count);
        return NULL;
    }
    t->nwords = n;
    m->nwords = n;
    m->dim = p->dim;
    m->words = xmalloc(n * sizeof *m->words);
    m->count = xmalloc(n * sizeof *m->count);
    int32_t *row_of = xmalloc(((size_t)v.ndict + 1) * sizeof *row_of);
    for (int32_t id = 0; id < v.ndict; id++)
        row_of[id] = -1;
    for (int32_t r = 0; r < n; r++) {
        int32_t id = v.by_rank[r];
        row_of[id] = r;
        m->words[r] = xstrdup(dict_word(&c->dict, id));
        m->count[r] = v.count[id];
        t->train_words += v.count[id];
    }
    vocab_free(&v);
    return row_of;
}

/* Subwords: every vocabulary word's n-grams, hashed once; the rows of the
 * n-gram matrix are the buckets they use. 0, or -1 with a message. */
static int trainer_subwords(Trainer *t, const W2vModel *m) {
    const W2vParams *p = t->p;
    if (subword_table_build(&t->sub, m->words, t->nwords, p->minn, p->maxn, p->buckets) != 0 ||
        (uint64_t)t->sub.nrows > SIZE_MAX / sizeof(float) / (size_t)p->dim) {
        if (t->sub.start)
            el_fail("%lld n-gram rows of %d floats do not fit in memory", (long long)t->sub.nrows, p->dim);
        return -1;
    }
    t->net.sub = &t->sub;
    return 0;
}

/* Refuses before the big allocations what cannot fit: the two weight
 * matrices and tables, the token stream, and the copy the caller makes of the
 * vectors to store them (t->ndocs set). 0, or -1 with a message. */
static int trainer_fits(Trainer *t, const Corpus *c, unsigned split_mask) {
    const W2vParams *p = t->p;
    int64_t refs = t->net.sub ? t->sub.start[t->nwords] : 0;
    t->ndocs = (int64_t)corpus_count_docs(c, split_mask);
    size_t need = mem_add((size_t)w2v_memory(p, t->nwords, t->sub.nrows, refs),
                          mem_mul((size_t)t->train_words + (size_t)t->ndocs, 8));
    need = mem_add(need, mem_mul(mem_mul((size_t)t->nwords, (size_t)p->dim), sizeof(float)));
    char what[96];
    snprintf(what, sizeof what, "--dim %d over %d words", p->dim, t->nwords);
    return mem_check(need, what);
}

/* The token stream of vocabulary words (rows), one document after another;
 * m->corpus_tokens counts every token read. */
static void trainer_stream(Trainer *t, const Corpus *c, unsigned split_mask, const int32_t *row_of, W2vModel *m) {
    t->doc_start = xmalloc((t->ndocs + 1) * sizeof *t->doc_start);
    t->stream = xmalloc(((size_t)t->train_words + 1) * sizeof *t->stream);
    int64_t k = 0, nd = 0;
    for (size_t d = 0; d < c->ndocs; d++) {
        const Doc *doc = &c->docs[d];
        if (!(split_mask & SPLIT_MASK(doc->split)))
            continue;
        t->doc_start[nd++] = k;
        m->corpus_tokens += doc->len;
        for (uint32_t i = 0; i < doc->len; i++) {
            int32_t r = row_of[c->tokens[doc->start + i]];
            if (r >= 0)
                t->stream[k++] = r;
        }
    }
    t->doc_start[nd] = k;
}

/* The subsampling thresholds and the output side's table (negatives or the
 * Huffman tree). 0, or -1 with a message. */
static int trainer_tables(Trainer *t, const int64_t *count) {
    const W2vParams *p = t->p;
    int32_t n = t->nwords;
    /* word2vec.c's formula: keep with probability (sqrt(f / (s T)) + 1) * s T / f
     * for a word seen f times among T. */
    t->keep = xmalloc(n * sizeof *t->keep);
    for (int32_t r = 0; r < n; r++) {
        double keep = 1;
        if (p->sample > 0) {
            double st = p->sample * (double)t->train_words, f = (double)count[r];
            keep = (sqrt(f / st) + 1) * st / f;
        }
        t->keep[r] = keep >= 1 ? UINT32_MAX : (uint32_t)(keep * 4294967296.0);
    }
    if (p->loss == W2V_NS) {
        alias_build(&t->neg, count, n);
        return 0;
    }
    return huffman_build(&t->huff, count, n);
}

/* The lines on stderr before training (none when quiet). */
static void trainer_announce(const Trainer *t) {
    const W2vParams *p = t->p;
    if (p->quiet)
        return;
    int32_t n = t->nwords;
    int64_t refs = t->net.sub ? t->sub.start[n] : 0;
    if (t->net.sub)
        fprintf(stderr, "embedlab: subwords of %d-%d characters: %lld n-grams in %lld of %lld buckets\n", p->minn,
                p->maxn, (long long)refs, (long long)t->sub.nrows, (long long)p->buckets);
    fprintf(stderr,
            "embedlab: %d words in the vocabulary (min count %lld), %lld training words per epoch; model "
            "memory %.1f MB\n",
            n, (long long)p->min_count, (long long)t->train_words, w2v_memory(p, n, t->sub.nrows, refs) / 1e6);
}

/* Weights: syn0 uniform in [-0.5/dim, 0.5/dim) as word2vec.c, syn1 zero;
 * then the n-gram rows as syn0, from the same draws. */
static void trainer_weights(Trainer *t) {
    const W2vParams *p = t->p;
    t->net.dim = p->dim;
    t->net.hs = p->loss == W2V_HS;
    size_t cells = (size_t)t->nwords * p->dim;
    t->net.syn0 = xmalloc(cells * sizeof(float));
    t->net.syn1 = xcalloc(cells, sizeof(float));
    Rng init;
    rng_seed(&init, p->seed);
    for (size_t i = 0; i < cells; i++)
        t->net.syn0[i] = (rng_float(&init) - 0.5f) / p->dim;
    if (t->net.sub) {
        size_t ncells = (size_t)t->sub.nrows * p->dim;
        t->net.ngram = xmalloc((ncells + 1) * sizeof(float));
        for (size_t i = 0; i < ncells; i++)
            t->net.ngram[i] = (rng_float(&init) - 0.5f) / p->dim;
    }
}

/* Trains: each thread owns a contiguous share of documents of about equal
 * tokens (train_share). m->seconds and the word counts set. */
static void trainer_run(Trainer *t, W2vModel *m) {
    const W2vParams *p = t->p;
    int threads = el_threads();
    if (threads > t->ndocs)
        threads = (int)(t->ndocs > 0 ? t->ndocs : 1);
    int64_t *bound = xmalloc((threads + 1) * sizeof *bound);
    bound[0] = 0;
    for (int i = 1; i < threads; i++) {
        int64_t target = t->train_words * i / threads, d = bound[i - 1];
        while (d < t->ndocs && t->doc_start[d] < target)
            d++;
        bound[i] = d;
    }
    bound[threads] = t->ndocs;
    Progress bar;
    progress_start(&bar, "word2vec", (double)p->epochs * t->train_words, "words");
    double t0 = now_seconds();
    int64_t processed = 0;
#pragma omp parallel num_threads(threads) reduction(+ : processed)
    {
        int tid = omp_get_thread_num();
        processed += train_share(t, bound[tid], bound[tid + 1], tid, &bar);
    }
    m->seconds = now_seconds() - t0;
    progress_end(&bar, (double)processed, NULL);
    free(bound);
    m->train_words = t->train_words;
    m->words_processed = processed;
    m->words_per_sec = m->seconds > 0 ? (double)m->corpus_tokens * p->epochs / m->seconds : 0;
}

/* Hands the trained vectors to m, then frees the rest of t. The embedding is
 * each word's input vector; with subwords the model keeps what the vector of
 * an unseen word is made from. */
static void trainer_finish(Trainer *t, W2vModel *m) {
    const W2vParams *p = t->p;
    m->vectors = t->net.syn0;
    if (t->net.sub) {
        m->word_rows = t->net.syn0;
        m->vectors = xmalloc((size_t)t->nwords * p->dim * sizeof(float));
        for (int32_t w = 0; w < t->nwords; w++)
            input_vector(&t->net, w, m->vectors + (size_t)w * p->dim);
        m->minn = p->minn;
        m->maxn = p->maxn;
        m->buckets = p->buckets;
        m->nngrams = t->sub.nrows;
        m->ngram_bucket = t->sub.row_bucket;
        m->ngram_vectors = t->net.ngram;
        t->sub.row_bucket = NULL;
        t->net.ngram = NULL;
    }
    t->net.syn0 = NULL;
    trainer_free(t);
}

int w2v_train(const W2vParams *p, const Corpus *c, unsigned split_mask, W2vModel *m) {
    memset(m, 0, sizeof *m);
    if (p->dim <= 0 || p->window <= 0 || p->epochs <= 0 || p->negative < 0)
        return el_fail("dim, window and epochs must be positive");
    if (p->loss == W2V_NS && p->negative <= 0)
        return el_fail("negative sampling needs --negative >= 1");
    int subwords = p->minn != 0 || p->maxn != 0;
    if (subwords && subword_check(p->minn, p->maxn, p->buckets) != 0)
        return -1;
    Trainer t;
    memset(&t, 0, sizeof t);
    t.p = p;
    t.dim = p->dim;
    t.alpha0 = p->alpha > 0 ? p->alpha : (p->model == W2V_SG ? 0.025 : 0.05);
    int32_t *row_of = trainer_vocab(&t, c, split_mask, m);
    if (!row_of)
        return -1;
    int rc = subwords ? trainer_subwords(&t, m) : 0;
    if (rc == 0)
        rc = trainer_fits(&t, c, split_mask);
    if (rc == 0)
        trainer_stream(&t, c, split_mask, row_of, m);
    free(row_of);
    if (rc == 0)
        rc = trainer_tables(&t, m->count);
    if (rc != 0) {
        trainer_free(&t);
        w2v_free(m);
        return -1;
    }
    trainer_announce(&t);
    trainer_weights(&t);
    trainer_run(&t, m);
    trainer_finish(&t, m);
    if (el_stop) { /* trainer_run stopped early: the vectors are half-trained */
        w2v_free(m);
        return el_fail("interrupted while training word2vec");
    }
    return 0;
}

void w2v_free(W2vModel *m) {
    for (int32_t i = 0; m->words && i < m->nwords; i++)
        free(m->words[i]);
    free(m->words);
    free(m->count);
    free(m->vectors);
    free(m->word_rows);
    free(m->ngram_bucket);
    free(m->ngram_vectors);
    memset(m, 0, sizeof *m);
}

int w2v_word_vector(const W2vModel *m, const char *word, size_t len, float *out) {
    for (int32_t w = 0; w < m->nwords; w++)
        if (strlen(m->words[w]) == len && memcmp(m->words[w], word, len) == 0) {
            memcpy(out, m->vectors + (size_t)w * m->dim, (size_t)m->dim * sizeof(float));
            return 0;
        }
    if (m->minn == 0)
        return el_fail("'%.*s' is not in the vocabulary", (int)(len > 64 ? 64 : len), word);
    SubwordVectors s = {.dim = m->dim,
                        .minn = m->minn,
                        .maxn = m->maxn,
                        .buckets = (uint32_t)m->buckets,
                        .nrows = m->nngrams,
                        .row_bucket = m->ngram_bucket,
                        .rows = m->ngram_vectors};
    int64_t ngrams;
    if (subword_oov_vector(&s, word, len, out, &ngrams) > 0)
        return 0;
    if (ngrams == 0)
        return el_fail("'%.*s' is not in the vocabulary and has no n-grams of %d to %d characters",
                       (int)(len > 64 ? 64 : len), word, m->minn, m->maxn);
    return el_fail("'%.*s' is not in the vocabulary and none of its n-grams was seen in training",
                   (int)(len > 64 ? 64 : len), word);
}
