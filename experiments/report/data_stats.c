/* experiments/report/data_stats.c: statistics of the reviews. */
#include "experiments/report/data_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* numpy's default percentile: linear interpolation between closest ranks. */
static double percentile(const uint32_t *sorted, size_t n, double p) {
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return sorted[lo] + (pos - lo) * ((double)sorted[hi] - sorted[lo]);
}

int data_group_stats(const Corpus *c, const Vocab *v, int split, int label, int maxlen, int cap, GroupStats *s) {
    memset(s, 0, sizeof *s);
    size_t n = 0;
    uint32_t *len = xmalloc((c->ndocs + 1) * sizeof *len);
    int64_t *counts = xcalloc((size_t)c->dict.size + 1, sizeof *counts);
    for (size_t d = 0; d < c->ndocs; d++) {
        const Doc *doc = &c->docs[d];
        if (doc->split != split || (label >= 0 && doc->label != label))
            continue;
        len[n++] = doc->len;
        s->tokens += doc->len;
        s->longer += doc->len > (uint32_t)maxlen;
        for (uint32_t i = 0; i < doc->len; i++) {
            int32_t id = c->tokens[doc->start + i];
            counts[id]++;
            s->oov += vocab_index(v, id, cap) == INDEX_OOV;
        }
    }
    for (int32_t id = 0; id < c->dict.size; id++) {
        s->words += counts[id] > 0;
        s->words5 += counts[id] >= 5;
    }
    free(counts);
    s->reviews = n;
    if (n > 0) {
        qsort(len, n, sizeof *len, cmp_u32);
        s->min = len[0];
        s->max = len[n - 1];
        s->mean = (double)s->tokens / n;
        s->median = percentile(len, n, 0.5);
        s->p90 = percentile(len, n, 0.9);
        s->p99 = percentile(len, n, 0.99);
    }
    free(len);
    return n == 0;
}

uint32_t *data_lengths(const Corpus *c, int split, size_t *n) {
    uint32_t *lengths = xmalloc((c->ndocs + 1) * sizeof *lengths);
    *n = 0;
    for (size_t d = 0; d < c->ndocs; d++)
        if (c->docs[d].split == split)
            lengths[(*n)++] = c->docs[d].len;
    return lengths;
}
