/* embed/evaluate.c: analogy accuracy and word-similarity correlation.
 *
 * Analogies are scored in batches: the query vectors of 512 questions times
 * the restricted vocabulary is one sgemm (BLAS level 3), so the 30,000 x 100
 * matrix is read once per batch instead of once per question. */
#include "embed/evaluate.h"

#include <cblas.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define BATCH 512

typedef struct {
    int32_t w[4];
    int section;
} Question;

static void lowercase(char *s) {
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Splits s at spaces/tabs into at most max fields; returns how many. */
static int split_fields(char *s, char **f, int max) {
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
        if (n == max)
            return max + 1;
        f[n++] = t;
    }
    return n;
}

int eval_analogies(const Embedding *e, const char *path, int32_t restrict_rows, AnalogyReport *rep) {
    memset(rep, 0, sizeof *rep);
    char *data;
    size_t len;
    if (read_text_file(path, &data, &len) != 0)
        return -1;
    int32_t nr = restrict_rows > 0 && restrict_rows < e->n ? restrict_rows : e->n;
    Question *qs = NULL;
    size_t nq = 0, qcap = 0, lineno = 0;
    char *save = NULL;
    int rc = 0;
    for (char *line = strtok_r(data, "\n", &save); line && rc == 0; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *f[5];
        if (line[0] == ':') {
            rep->sections = xrealloc(rep->sections, (rep->nsections + 1) * sizeof *rep->sections);
            AnalogySection *s = &rep->sections[rep->nsections++];
            memset(s, 0, sizeof *s);
            char *name = line + 1;
            while (*name == ' ')
                name++;
            name[strcspn(name, "\r")] = 0;
            snprintf(s->name, sizeof s->name, "%s", name);
            s->syntactic = strncmp(s->name, "gram", 4) == 0;
            continue;
        }
        lowercase(line);
        int nf = split_fields(line, f, 4);
        if (nf == 0)
            continue;
        if (nf != 4) {
            rc = el_fail("%s:%zu: expected four words 'a b c d'", path, lineno);
            break;
        }
        if (rep->nsections == 0) {
            rep->sections = xcalloc(1, sizeof *rep->sections);
            rep->nsections = 1;
            snprintf(rep->sections[0].name, sizeof rep->sections[0].name, "(no section)");
        }
        AnalogySection *s = &rep->sections[rep->nsections - 1];
        s->total++;
        rep->total++;
        Question q = {.section = rep->nsections - 1};
        int known = 1;
        for (int i = 0; i < 4; i++) {
            q.w[i] = emb_row(e, f[i]);
            known &= q.w[i] >= 0 && q.w[i] < nr;
        }
        if (!known)
            continue;
        if (nq == qcap)
            qs = xrealloc(qs, (qcap = qcap ? qcap * 2 : 4096) * sizeof *qs);
        qs[nq++] = q;
    }
    free(data);
    if (rc != 0) {
        free(qs);
        analogy_report_free(rep);
        return -1;
    }
    int dim = e->dim;
    float *query = xmalloc((size_t)BATCH * dim * sizeof *query);
    float *scores = xmalloc((size_t)BATCH * nr * sizeof *scores);
    for (size_t b0 = 0; b0 < nq; b0 += BATCH) {
        int nb = (int)(nq - b0 < BATCH ? nq - b0 : BATCH);
        for (int i = 0; i < nb; i++) {
            const Question *q = &qs[b0 + i];
            const float *a = e->unit + (size_t)q->w[0] * dim, *b = e->unit + (size_t)q->w[1] * dim,
                        *c = e->unit + (size_t)q->w[2] * dim;
            float *y = query + (size_t)i * dim;
            for (int d = 0; d < dim; d++)
                y[d] = b[d] - a[d] + c[d];
            vec_normalize_f32(y, dim);
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb, nr, dim, 1.0f, query, dim, e->unit, dim, 0.0f, scores,
                    nr);
        for (int i = 0; i < nb; i++) {
            const Question *q = &qs[b0 + i];
            const float *row = scores + (size_t)i * nr;
            int32_t best = -1;
            float best_score = -INFINITY;
            for (int32_t r = 0; r < nr; r++) {
                if (row[r] > best_score && r != q->w[0] && r != q->w[1] && r != q->w[2]) {
                    best_score = row[r];
                    best = r;
                }
            }
            AnalogySection *s = &rep->sections[q->section];
            int ok = best == q->w[3];
            s->asked++;
            s->correct += ok;
            rep->asked[s->syntactic]++;
            rep->correct[s->syntactic] += ok;
        }
    }
    free(query);
    free(scores);
    free(qs);
    return 0;
}

void analogy_report_free(AnalogyReport *rep) {
    free(rep->sections);
    memset(rep, 0, sizeof *rep);
}

typedef struct {
    double v;
    int i;
} Ranked;

static int cmp_ranked(const void *a, const void *b) {
    double x = ((const Ranked *)a)->v, y = ((const Ranked *)b)->v;
    return (x > y) - (x < y);
}

static void ranks(const double *x, int n, double *r) {
    Ranked *t = xmalloc((size_t)n * sizeof *t);
    for (int i = 0; i < n; i++)
        t[i] = (Ranked){x[i], i};
    qsort(t, n, sizeof *t, cmp_ranked);
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && t[j + 1].v == t[i].v)
            j++;
        double avg = (i + j) / 2.0 + 1;
        for (int k = i; k <= j; k++)
            r[t[k].i] = avg;
        i = j + 1;
    }
    free(t);
}

double spearman(const double *x, const double *y, int n) {
    if (n < 2)
        return NAN;
    double *rx = xmalloc((size_t)n * sizeof *rx), *ry = xmalloc((size_t)n * sizeof *ry);
    ranks(x, n, rx);
    ranks(y, n, ry);
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++)
        mx += rx[i], my += ry[i];
    mx /= n;
    my /= n;
    for (int i = 0; i < n; i++) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    free(rx);
    free(ry);
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

int eval_pairs(const Embedding *e, const char *path, PairsReport *rep) {
    memset(rep, 0, sizeof *rep);
    char *data;
    size_t len;
    if (read_text_file(path, &data, &len) != 0)
        return -1;
    double *human = NULL, *model = NULL;
    int cap = 0, rc = 0;
    float *ua = xmalloc(2 * (size_t)e->dim * sizeof *ua), *ub = ua + e->dim;
    size_t lineno = 0;
    char *p = data;
    while (p && *p && rc == 0) {
        char *line = p, *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        p = nl ? nl + 1 : NULL;
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        lowercase(line);
        char *f[4];
        int nf = split_fields(line, f, 3);
        if (nf == 0)
            continue;
        char *end;
        double score = nf == 3 ? strtod(f[2], &end) : 0;
        if (nf != 3 || *end || !isfinite(score)) {
            rc = el_fail("%s:%zu: expected 'word1 word2 score'", path, lineno);
            break;
        }
        rep->total++;
        int64_t found, ngrams;
        int32_t a = emb_query(e, f[0], strlen(f[0]), ua, &found, &ngrams);
        int32_t b = emb_query(e, f[1], strlen(f[1]), ub, &found, &ngrams);
        if (a == EMB_NO_VECTOR || b == EMB_NO_VECTOR)
            continue;
        rep->from_ngrams += a == EMB_FROM_NGRAMS || b == EMB_FROM_NGRAMS;
        if (rep->used == cap) {
            cap = cap ? cap * 2 : 512;
            human = xrealloc(human, cap * sizeof *human);
            model = xrealloc(model, cap * sizeof *model);
        }
        human[rep->used] = score;
        model[rep->used++] = vec_dot_f32(ua, ub, e->dim);
    }
    free(data);
    free(ua);
    if (rc == 0 && rep->total == 0)
        rc = el_fail("%s: no word pairs", path);
    if (rc == 0)
        rep->spearman = spearman(human, model, rep->used);
    free(human);
    free(model);
    return rc;
}
