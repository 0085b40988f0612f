/* embed/word2vec.c: the trainer.
 *
 * Cost model. Per centre word, skip-gram touches k context rows of syn0
 * (k <= 2 * window) and n output rows of syn1 (1 + negative, or the Huffman
 * path), and does k * n dot products and as many row updates of dim floats.
 * The rows fit in L1; the cache misses are the row fetches, so sharing the
 * output rows across the window cuts misses from k * (n + 1) to k + n. The
 * inner loops are plain loops over dim that gcc vectorises (omp simd).
 *
 * The row fetches bound the speed, CBOW's most: its arithmetic per centre
 * word is one window's, but it touches 1 + negative output rows, most of them
 * not in cache (7 lines a row at dim 100). So one draw of negatives serves a
 * group of w2v_share_negatives centre words (w2v_centre_order), whose later
 * words find those rows in cache and fetch only their own centre word's row;
 * why the group's words sit at least 2 * window + 1 apart, in segments that
 * slide side by side, and what it saves, measured: ARCHITECTURE.md,
 * "word2vec's order of work".
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
#include <time.h>

#include "core/common.h"
#include "core/memory.h"
#include "core/progress.h"
#include "core/rng.h"
#include "embed/data/vocab.h"

#define MAX_CODE 64

void w2v_defaults(W2vParams *p) {
    memset(p, 0, sizeof *p);
    opt_defaults(&w2v_options, p); /* the defaults are the option table's (embed/trainer_word2vec.c) */
}

int w2v_row_stride(int dim) { return (dim + 15) / 16 * 16; }

int64_t w2v_memory(const W2vParams *p, int64_t nwords, int64_t ngram_rows, int64_t ngram_refs) {
    int64_t row = (int64_t)p->dim * (int64_t)sizeof(float);
    int64_t weights = 2 * nwords * (int64_t)w2v_row_stride(p->dim) * (int64_t)sizeof(float);
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

/* One entry a word, its probability and its alias side by side: a draw
 * reads one cache line, not two. */
typedef struct {
    float prob;
    int32_t alias;
} AliasEntry;

typedef struct {
    AliasEntry *e;
    int32_t n;
} Alias;

static void alias_build(Alias *a, const int64_t *count, int32_t n) {
    a->n = n;
    a->e = xmalloc(n * sizeof *a->e);
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
        a->e[s] = (AliasEntry){(float)p[s], l};
        p[l] -= 1 - p[s];
        if (p[l] < 1)
            small[ns++] = l;
        else
            large[nl++] = l;
    }
    while (nl) {
        int32_t l = large[--nl];
        a->e[l] = (AliasEntry){1, l};
    }
    while (ns) {
        int32_t s = small[--ns];
        a->e[s] = (AliasEntry){1, s};
    }
    free(p);
    free(small);
    free(large);
}

static inline int32_t alias_draw(const Alias *a, Rng *r) {
    uint64_t x = rng_next(r);
    int32_t i = (int32_t)(((x >> 32) * (uint64_t)a->n) >> 32);
    float u = (uint32_t)x * (1.0f / 4294967296.0f);
    AliasEntry e = a->e[i];
    return u < e.prob ? i : e.alias;
}

static void alias_free(Alias *a) { free(a->e); }

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

/* ---- the shared state of one training run ---- */

typedef struct {
    const W2vParams *p;
    int dim;
    int32_t nwords;
    W2vNet net;
    SubwordTable sub;
    Alias neg;
    Huffman huff;
    int share;          /* centre words a draw of negatives serves (1 under HS) */
    uint32_t *keep;     /* [nwords] subsampling: keep a word when a random u32 < keep */
    int32_t *stream;    /* vocabulary ids of the corpus, documents concatenated */
    int64_t *doc_start; /* [ndocs + 1] offsets into stream */
    int64_t ndocs, train_words;
    int64_t draws; /* alias draws, summed from the threads when they end */
    /* Words done, shared, updated atomically in batches: alone on its cache
     * line, so that the other fields every thread reads stay shared clean. */
    _Alignas(64) int64_t progress;
    _Alignas(64) double alpha0;
    double cpu0; /* process CPU seconds when training began */
} Trainer;

/* The output rows for centre word w: w and the negatives neg[] other than w,
 * or w's path. */
static int outputs_for(Trainer *t, int32_t w, const int32_t *neg, int32_t *out, float *label) {
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
        if (neg[k] == w)
            continue; /* as word2vec.c: a draw of the target is dropped */
        out[n] = neg[k];
        label[n++] = 0;
    }
    return n;
}

int w2v_share_negatives(const W2vParams *p) {
    if (p->loss == W2V_HS)
        return 1;
    if (p->share_negatives > 0)
        return p->share_negatives;
    return p->model == W2V_CBOW ? 4 : 1;
}

void w2v_centre_order(int64_t len, int share, int gap, int64_t *order, uint8_t *draw) {
    if (share < 1)
        share = 1;
    if (gap < 1)
        gap = 1;
    int64_t segments = len / gap < share ? len / gap : share; /* each at least gap long */
    if (segments < 1)
        segments = 1;
    int64_t seg = (len + segments - 1) / segments, k = 0;
    for (int64_t g = 0; g < seg; g++)
        for (int64_t j = 0, pos = g; j < segments && pos < len; j++, pos += seg) {
            order[k] = pos;
            draw[k++] = j == 0;
        }
}

/* Asks for every cache line of n floats at row, to be written soon: the
 * rows of the next centre word are fetched while this one is trained. */
static inline void prefetch_row(const float *row, int64_t n) {
    for (int64_t i = 0; i < n; i += 64 / sizeof(float))
        __builtin_prefetch(row + i, 1, 3);
}

/* One thread's working memory: the sentence, the order of its centre
 * words, the window, the negatives of the current group, and two sets of
 * output rows (this centre word's, and the next one's, made ahead so that
 * their rows can be prefetched). Allocated per thread, 64-byte aligned, so
 * that no two threads write to one cache line. */
typedef struct {
    int32_t *sen, *ctx, *neg, *out[2];
    int64_t *order, draws;
    uint8_t *draw;
    float *label[2], *scratch;
} ThreadBufs;

static void *alloc_aligned(size_t bytes) {
    void *p = NULL;
    if (posix_memalign(&p, 64, bytes ? bytes : 1) != 0)
        p = xmalloc(bytes); /* out of memory: xmalloc says so and exits */
    return p;
}

/* A weight matrix: rows start on cache lines (w2v_row_stride), and a large
 * one, read at random rows, is on huge pages (xmalloc_huge: 2 MiB aligned). */
static float *alloc_weights(size_t floats) {
    size_t bytes = floats * sizeof(float);
    return bytes < ((size_t)2 << 20) ? alloc_aligned(bytes) : xmalloc_huge(bytes);
}

static void thread_bufs_init(ThreadBufs *b, const Trainer *t, int64_t maxlen) {
    int window = t->p->window, maxout = (t->p->loss == W2V_HS ? MAX_CODE : t->p->negative + 1);
    b->sen = alloc_aligned((maxlen + 1) * sizeof *b->sen);
    b->order = alloc_aligned((maxlen + 1) * sizeof *b->order);
    b->draw = alloc_aligned(maxlen + 1);
    b->ctx = alloc_aligned(2 * window * sizeof *b->ctx);
    b->neg = alloc_aligned((t->p->negative + 1) * sizeof *b->neg);
    b->draws = 0;
    for (int i = 0; i < 2; i++) {
        b->out[i] = alloc_aligned(maxout * sizeof *b->out[i]);
        b->label[i] = alloc_aligned(maxout * sizeof *b->label[i]);
    }
    b->scratch = alloc_aligned(w2v_scratch_floats(&t->net, 2 * window, maxout) * sizeof(float));
}

static void thread_bufs_free(ThreadBufs *b) {
    free(b->sen), free(b->order), free(b->draw), free(b->ctx), free(b->neg), free(b->scratch);
    for (int i = 0; i < 2; i++)
        free(b->out[i]), free(b->label[i]);
}

/* A fresh draw of the negatives, into b->neg[0..negative). */
static void draw_negatives(Trainer *t, ThreadBufs *b, Rng *rng) {
    for (int k = 0; k < t->p->negative; k++)
        b->neg[k] = alias_draw(&t->neg, rng);
    b->draws += t->p->negative;
}

/* Makes visit k's output rows into slot k % 2 (drawing the negatives when
 * it starts a group; the other slot's rows, already made, are unaffected)
 * and prefetches them (the negatives only when drawn: a group's later words
 * find them in cache), with the input row at the right edge of its window. */
static void prepare_visit(Trainer *t, ThreadBufs *b, int64_t k, int64_t len, Rng *rng, int *nout) {
    int ns = t->p->loss == W2V_NS, slot = (int)(k & 1), drawn = ns && b->draw[k];
    int64_t stride = w2v_stride(&t->net), edge = b->order[k] + t->p->window;
    if (drawn)
        draw_negatives(t, b, rng);
    nout[slot] = outputs_for(t, b->sen[b->order[k]], b->neg, b->out[slot], b->label[slot]);
    for (int o = 0; o < (drawn || !ns ? nout[slot] : 1); o++)
        prefetch_row(t->net.syn1 + (int64_t)b->out[slot][o] * stride, t->dim);
    if (edge < len)
        prefetch_row(t->net.syn0 + (int64_t)b->sen[edge] * stride, t->dim);
}

/* Trains on the kept words sen[0..len): each centre word against its
 * window, shrunk at random by b < window as word2vec.c, in the order of
 * w2v_centre_order. The next visit is prepared (prepare_visit) before this
 * one's update, so that its rows arrive while this one trains. */
static void train_sentence(Trainer *t, ThreadBufs *b, int64_t len, Rng *rng, float alpha) {
    const W2vParams *p = t->p;
    int window = p->window, nout[2] = {0, 0};
    const int32_t *sen = b->sen;
    w2v_centre_order(len, t->share, 2 * window + 1, b->order, b->draw);
    if (len > 0)
        prepare_visit(t, b, 0, len, rng, nout);
    for (int64_t k = 0; k < len; k++) {
        int64_t pos = b->order[k];
        int cur = (int)(k & 1);
        if (k + 1 < len)
            prepare_visit(t, b, k + 1, len, rng, nout);
        int shrink = (int)rng_below(rng, (uint64_t)window);
        int nctx = 0;
        for (int64_t c = pos - window + shrink; c <= pos + window - shrink; c++)
            if (c >= 0 && c < len && c != pos)
                b->ctx[nctx++] = sen[c];
        if (nctx > 0)
            w2v_update(&t->net, p->model, b->ctx, nctx, b->out[cur], b->label[cur], nout[cur], alpha, b->scratch);
    }
}

/* Process CPU seconds: word2vec.c's clock(), the base of its words/s per thread. */
static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Adds a thread's pending words to the shared count; returns the learning
 * rate for that progress, and draws the bar (thread 0) with the rate in
 * words/s per thread as word2vec.c counts it: vocabulary words read, before
 * subsampling, over the process's CPU seconds since training began. */
static float progress_tick(Trainer *t, int64_t pending, int tid, Progress *bar) {
    int64_t now = __atomic_add_fetch(&t->progress, pending, __ATOMIC_RELAXED);
    double total = (double)t->p->epochs * t->train_words + 1;
    float alpha = (float)(t->alpha0 * (1 - now / total));
    if (alpha < t->alpha0 * 1e-4)
        alpha = (float)(t->alpha0 * 1e-4);
    if (tid == 0 && bar->enabled) {
        char note[80];
        double cpu = cpu_seconds() - t->cpu0;
        snprintf(note, sizeof note, "alpha %.5f  %.1fk words/s/thread", alpha, cpu > 0 ? now / cpu / 1e3 : 0.0);
        progress_update(bar, (double)now, note);
    }
    return alpha;
}

/* Runs one thread's epochs over documents [d0, d1). Returns words processed. */
static int64_t train_share(Trainer *t, int64_t d0, int64_t d1, int tid, Progress *bar) {
    const W2vParams *p = t->p;
    Rng rng;
    rng_seed(&rng, p->seed * 1000003u + (uint64_t)tid);
    int64_t maxlen = 0;
    for (int64_t d = d0; d < d1; d++)
        if (t->doc_start[d + 1] - t->doc_start[d] > maxlen)
            maxlen = t->doc_start[d + 1] - t->doc_start[d];
    ThreadBufs b;
    thread_bufs_init(&b, t, maxlen);
    int64_t done = 0, pending = 0;
    float alpha = (float)t->alpha0;
    for (int epoch = 0; epoch < p->epochs && !el_stop; epoch++) {
        for (int64_t d = d0; d < d1 && !el_stop; d++) { /* Ctrl-C: every thread stops at its next document */
            const int32_t *words = t->stream + t->doc_start[d];
            int64_t n = t->doc_start[d + 1] - t->doc_start[d], len = 0;
            for (int64_t i = 0; i < n; i++)
                if ((uint32_t)rng_next(&rng) < t->keep[words[i]])
                    b.sen[len++] = words[i];
            pending += n;
            if (pending >= 10000) {
                alpha = progress_tick(t, pending, tid, bar);
                done += pending;
                pending = 0;
            }
            train_sentence(t, &b, len, &rng, alpha);
        }
    }
    __atomic_add_fetch(&t->progress, pending, __ATOMIC_RELAXED);
    __atomic_add_fetch(&t->draws, b.draws, __ATOMIC_RELAXED);
    done += pending;
    thread_bufs_free(&b);
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
 * then the n-gram rows as syn0, from the same draws. The rows of syn0 and
 * syn1 start on cache lines (w2v_row_stride), so that no two rows share a
 * line: two threads updating two words never write to one line, and a row's
 * 16-float chunks are aligned loads. */
static void trainer_weights(Trainer *t) {
    const W2vParams *p = t->p;
    t->net.dim = p->dim;
    t->net.hs = p->loss == W2V_HS;
    t->net.stride = w2v_row_stride(p->dim);
    size_t cells = (size_t)t->nwords * t->net.stride;
    t->net.syn0 = alloc_weights(cells);
    t->net.syn1 = alloc_weights(cells);
    memset(t->net.syn0, 0, cells * sizeof(float)); /* the padding too */
    memset(t->net.syn1, 0, cells * sizeof(float));
    Rng init;
    rng_seed(&init, p->seed);
    for (size_t r = 0; r < (size_t)t->nwords; r++)
        for (int d = 0; d < p->dim; d++)
            t->net.syn0[r * t->net.stride + d] = (rng_float(&init) - 0.5f) / p->dim;
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
    t->cpu0 = cpu_seconds();
    int64_t processed = 0;
#pragma omp parallel num_threads(threads) reduction(+ : processed)
    {
        int tid = omp_get_thread_num();
        processed += train_share(t, bound[tid], bound[tid + 1], tid, &bar);
    }
    m->seconds = now_seconds() - t0;
    char note[48];
    double cpu = cpu_seconds() - t->cpu0;
    snprintf(note, sizeof note, "%.1fk words/s/thread", cpu > 0 ? processed / cpu / 1e3 : 0.0);
    progress_end(&bar, (double)processed, note);
    free(bound);
    m->train_words = t->train_words;
    m->words_processed = processed;
    m->negative_draws = t->draws;
    m->words_per_sec = m->seconds > 0 ? (double)m->corpus_tokens * p->epochs / m->seconds : 0;
}

/* Hands the trained vectors to m, then frees the rest of t. The embedding is
 * each word's input vector; with subwords the model keeps what the vector of
 * an unseen word is made from. */
static void trainer_finish(Trainer *t, W2vModel *m) {
    const W2vParams *p = t->p;
    if (t->net.sub) {
        m->vectors = xmalloc((size_t)t->nwords * p->dim * sizeof(float));
        for (int32_t w = 0; w < t->nwords; w++)
            w2v_input_vector(&t->net, w, m->vectors + (size_t)w * p->dim);
    }
    /* The rows close up to dim floats each, in place (front to back, each
     * row moving to a lower or equal address). */
    for (size_t r = 0; r < (size_t)t->nwords && t->net.stride != p->dim; r++)
        memmove(t->net.syn0 + r * p->dim, t->net.syn0 + r * t->net.stride, p->dim * sizeof(float));
    float *rows = xrealloc(t->net.syn0, (size_t)t->nwords * p->dim * sizeof(float));
    if (!t->net.sub)
        m->vectors = rows;
    else {
        m->word_rows = rows;
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
    t.share = w2v_share_negatives(p);
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
