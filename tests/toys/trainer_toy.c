/* tests/toys/trainer_toy.c: an embedding trainer that exists only in the
 * test build (ARCHITECTURE.md, "How to add"): random indexing. Each word
 * has a fixed random sign vector drawn from the seed; a word's vector is the
 * sum of its neighbours' sign vectors within the window, over the train
 * split. Words seen fewer than min_count times are left out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/hash.h"
#include "embed/trainer.h"
#include "tests/toys/toys.h"

typedef struct {
    int dim, window;
    int64_t min_count;
    uint64_t seed;
} ToyParams;

#define AT(member) OPTION_AT(ToyParams, member)

static const Option toy_fields[] = {
    {"dim", OPTION_INT, AT(dim), "32", 1, 4096, NULL, NULL, NULL, "toy", "vector size", 0},
    {"window", OPTION_INT, AT(window), "2", 1, 100, NULL, NULL, NULL, "toy", "neighbours on each side", 0},
    {"min_count", OPTION_INT64, AT(min_count), "1", 1, 1e12, NULL, NULL, NULL, "toy", "ignore rarer words", 0},
    {"seed", OPTION_SEED, AT(seed), "1", 0, 0, NULL, NULL, NULL, "toy", "the sign vectors' seed", 0},
};
static const OptionTable toy_options = {toy_fields, (int)(sizeof toy_fields / sizeof *toy_fields)};

static int toy_check(const void *params) {
    (void)params;
    return 0;
}

static void toy_describe(const void *params, char *buf, size_t n) {
    const ToyParams *p = params;
    snprintf(buf, n, "random indexing, dim %d", p->dim);
}

static void toy_name(const void *params, char *buf, size_t n) {
    const ToyParams *p = params;
    snprintf(buf, n, "toy-d%d-s%llu", p->dim, (unsigned long long)p->seed);
}

/* The sign (+1 or -1) of word id's random vector at coordinate k. */
static float sign_of(uint64_t seed, int32_t id, int k) {
    return (hash_mix(hash_mix(seed, (uint64_t)id), (uint64_t)k) >> 63) ? 1.0f : -1.0f;
}

typedef struct {
    int64_t count;
    int32_t id;
} Ranked;

/* Count descending, then id ascending: a total order, so qsort is stable. */
static int by_count(const void *a, const void *b) {
    const Ranked *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static int toy_train(const void *params, const Corpus *c, unsigned splits, TrainedEmbedding *out) {
    const ToyParams *p = params;
    memset(out, 0, sizeof *out);
    size_t nw = (size_t)c->dict.size;
    int64_t *count = xcalloc(nw ? nw : 1, sizeof *count);
    float *vec = xcalloc((nw ? nw : 1) * (size_t)p->dim, sizeof *vec);
    for (size_t d = 0; d < c->ndocs; d++) {
        const Doc *doc = &c->docs[d];
        if (!(splits & SPLIT_MASK(doc->split)))
            continue;
        const int32_t *t = c->tokens + doc->start;
        for (uint32_t i = 0; i < doc->len; i++) {
            count[t[i]]++;
            for (int64_t j = (int64_t)i - p->window; j <= (int64_t)i + p->window; j++)
                if (j >= 0 && j < doc->len && j != i)
                    for (int k = 0; k < p->dim; k++)
                        vec[(size_t)t[i] * p->dim + k] += sign_of(p->seed, t[j], k);
        }
        out->corpus_tokens += doc->len;
    }
    /* Rows in rank order, most frequent first, as every trainer stores them. */
    Ranked *order = xmalloc((nw ? nw : 1) * sizeof *order);
    for (size_t w = 0; w < nw; w++)
        order[w] = (Ranked){count[w], (int32_t)w};
    qsort(order, nw, sizeof *order, by_count);
    emb_init(&out->emb, p->dim);
    int rc = 0;
    for (size_t r = 0; r < nw && rc == 0 && order[r].count >= p->min_count; r++)
        rc = emb_add(&out->emb, dict_word(&c->dict, order[r].id), dict_len(&c->dict, order[r].id),
                     vec + (size_t)order[r].id * p->dim, order[r].count);
    free(order);
    free(count);
    free(vec);
    char json[256];
    snprintf(json, sizeof json, "{\"trainer\":\"toy\",\"dim\":%d,\"window\":%d,\"min_count\":%lld,\"seed\":%llu}",
             p->dim, p->window, (long long)p->min_count, (unsigned long long)p->seed);
    out->params_json = xstrdup(json);
    out->epochs = 1;
    if (rc != 0)
        trained_free(out);
    return rc;
}

const EmbedTrainer trainer_toy = {
    .name = "toy",
    .label = "toy (random indexing)",
    .options = &toy_options,
    .params_size = sizeof(ToyParams),
    .check = toy_check,
    .describe = toy_describe,
    .settings_name = toy_name,
    .train = toy_train,
};
