/* db/index/nearest.c: the nearest-word query (db/index/nearest.h). */
#include "db/index/nearest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int all_finite(const float *v, int dim) {
    for (int i = 0; i < dim; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* A vocabulary word's row: used as it is (rows are unit length already). */
static NearestStatus from_row(const NearestRows *rows, int32_t row, float *unit, NearestWord *w) {
    w->row = row;
    memcpy(unit, rows->unit + (size_t)row * rows->dim, (size_t)rows->dim * sizeof *unit);
    if (!all_finite(unit, rows->dim))
        return NEAREST_NOT_FINITE;
    return vec_dot_f32(unit, unit, rows->dim) > 0 ? NEAREST_OK : NEAREST_ZERO;
}

NearestStatus nearest_word(const NearestRows *rows, const char *word, size_t len, float *unit, NearestWord *w) {
    memset(w, 0, sizeof *w);
    w->row = rows->row_of(rows->ctx, word, len);
    if (w->row >= 0)
        return from_row(rows, w->row, unit, w);
    /* Not as given: as the embedding's tokenizer writes it (Movie is movie). */
    TokQueryForm form;
    if (rows->form(rows->ctx, &form) != 0)
        return NEAREST_BAD_FORM;
    size_t n;
    char *normal = tok_query_word(form, word, len, &n);
    if (n != len || memcmp(normal, word, len) != 0) {
        w->normal = normal;
        w->normal_len = n;
        word = normal;
        len = n;
        if ((w->row = rows->row_of(rows->ctx, word, len)) >= 0)
            return from_row(rows, w->row, unit, w);
    } else
        free(normal);
    if (rows->subwords.minn == 0)
        return NEAREST_NOT_FOUND;
    /* A word never seen in training: the mean of its n-grams' rows. */
    w->found = subword_oov_vector(&rows->subwords, word, len, unit, &w->ngrams);
    if (w->found == 0)
        return NEAREST_NOT_FOUND;
    return nearest_vector(unit, rows->dim);
}

void nearest_word_free(NearestWord *w) {
    free(w->normal);
    w->normal = NULL;
    w->normal_len = 0;
}

NearestStatus nearest_vector(float *q, int dim) {
    if (!all_finite(q, dim))
        return NEAREST_NOT_FINITE;
    return vec_normalize_f32(q, dim) == 0 ? NEAREST_ZERO : NEAREST_OK;
}

NearestStatus nearest_search(const NearestRows *rows, const float *q, int k, const int32_t *exclude, int nexclude,
                             int exact, Scored *best, int *count, int *indexed) {
    *count = 0;
    if (!exact && rows->index_err)
        return NEAREST_INDEX_UNUSABLE;
    int use_index = !exact && rows->ix;
    if (indexed)
        *indexed = use_index;
    if (k > rows->n)
        k = rows->n;
    *count = use_index ? ann_search(rows->ix, rows->unit, q, k, 0, 0, exclude, nexclude, best)
                       : vec_topk(rows->unit, rows->n, rows->dim, q, k, exclude, nexclude, best);
    if (*count >= 0)
        return NEAREST_OK;
    *count = 0;
    return NEAREST_NOMEM;
}

NearestStatus nearest_query(const NearestRows *rows, const char *word, size_t len, const void *vec, size_t bytes, int k,
                            int exact, float *q, NearestWord *w, Scored *best, int *count, int *indexed) {
    memset(w, 0, sizeof *w);
    w->row = -1;
    *count = 0;
    if (!exact && rows->index_err)
        return NEAREST_INDEX_UNUSABLE;
    NearestStatus st;
    if (word)
        st = nearest_word(rows, word, len, q, w);
    else if (bytes != (size_t)rows->dim * sizeof *q)
        return NEAREST_DIM_MISMATCH;
    else {
        memcpy(q, vec, bytes);
        st = nearest_vector(q, rows->dim);
    }
    if (st != NEAREST_OK)
        return st;
    return nearest_search(rows, q, k, &w->row, w->row >= 0, exact, best, count, indexed);
}
