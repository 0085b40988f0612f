/* experiments/run/ensemble.c: soft vote of finished runs (experiments/run/ensemble.h). */
#include "experiments/run/ensemble.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "experiments/run/run_record.h"

/* Adds run k's predictions p to the vote's sums; the first run fixes the
 * reviews (its configuration c0 and labels), every later one must match them. */
static int add_run(sqlite3 *db, int64_t run0, int64_t run, int k, const RunPredictions *p, const Experiment *c0,
                   Experiment *c, const RunPredictions *first, double *sum, EnsembleResult *r) {
    /* The run's configuration (run_config) names the files it was tested on. */
    if (run_config(db, run, c) != 0)
        return -1;
    if (k > 0) {
        if (strcmp(c->data, c0->data) != 0 || strcmp(c->test_data, c0->test_data) != 0)
            return el_fail("run %lld was tested on other data (%s%s%s) than run %lld (%s%s%s)", (long long)run, c->data,
                           *c->test_data ? " with " : "", c->test_data, (long long)run0, c0->data,
                           *c0->test_data ? " with " : "", c0->test_data);
        if (p->n != first->n || memcmp(p->labels, first->labels, (size_t)p->n) != 0)
            return el_fail("run %lld was tested on other reviews (%lld, or other labels) than run %lld (%lld)",
                           (long long)run, (long long)p->n, (long long)run0, (long long)first->n);
    }
    int64_t right = 0;
    for (int64_t i = 0; i < p->n; i++) {
        sum[i] += p->probs[i];
        right += (p->probs[i] >= 0.5f) == (p->labels[i] == 1);
    }
    r->accs[k] = (double)right / p->n;
    return 0;
}

int ensemble_eval(sqlite3 *db, const int64_t *runs, int nruns, EnsembleResult *r) {
    memset(r, 0, sizeof *r);
    if (nruns < 1 || nruns > ENSEMBLE_MAX_RUNS)
        return el_fail("an ensemble takes 1 to %d runs, not %d", ENSEMBLE_MAX_RUNS, nruns);
    for (int a = 0; a < nruns; a++)
        for (int b = 0; b < a; b++)
            if (runs[a] == runs[b])
                return el_fail("run %lld is named twice", (long long)runs[a]);
    RunPredictions first;
    if (run_read_predictions(db, runs[0], &first) != 0)
        return -1;
    Experiment *c0 = xmalloc(sizeof *c0), *c = xmalloc(sizeof *c);
    double *sum = xcalloc((size_t)first.n, sizeof *sum);
    r->accs = xcalloc((size_t)nruns, sizeof *r->accs);
    int rc = add_run(db, runs[0], runs[0], 0, &first, c0, c0, &first, sum, r);
    for (int k = 1; k < nruns && rc == 0; k++) {
        RunPredictions p;
        rc = run_read_predictions(db, runs[k], &p);
        if (rc == 0) {
            rc = add_run(db, runs[0], runs[k], k, &p, c0, c, &first, sum, r);
            run_predictions_free(&p);
        }
    }
    if (rc == 0) {
        int64_t right = 0;
        double loss = 0;
        for (int64_t i = 0; i < first.n; i++) {
            double q = sum[i] / nruns; /* summed in run order: the same runs give the same bits */
            int pos = first.labels[i] == 1;
            right += (q >= 0.5) == pos;
            double c = q < 1e-7 ? 1e-7 : q > 1 - 1e-7 ? 1 - 1e-7 : q;
            loss -= pos ? log(c) : log(1 - c);
        }
        r->n = first.n;
        r->acc = (double)right / first.n;
        r->loss = loss / first.n;
    } else {
        free(r->accs);
        r->accs = NULL;
    }
    free(sum);
    free(c0);
    free(c);
    run_predictions_free(&first);
    return rc;
}

void ensemble_free(EnsembleResult *r) {
    free(r->accs);
    r->accs = NULL;
}
