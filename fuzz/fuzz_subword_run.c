/* fuzz/fuzz_subword_run.c: a subword-input run's stored model read back
 * (experiments/run/subword_run.c): any bytes as the models.params blob of a run
 * of one small fixed configuration over one small base embedding (4 dims,
 * 1-3-grams in 64 buckets, a few n-gram rows). subword_run_unpack must check
 * every size before it allocates and refuse what does not fit, with a
 * message; a blob it accepts must rebuild a model over a few tokens (words
 * with and without a word row, unseen n-grams, an empty-ish one) that
 * predicts, and pack back to the same bytes. No crash, hang or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "experiments/run/subword_run.h"
#include "rnn/config.h"
#include "rnn/train.h"

enum { DIM = 4, CAP = 5, MAXLEN = 4, NWORDS = 5 };

static void must(int ok) {
    if (!ok)
        abort();
}

/* The base embedding: n-gram rows for a few buckets, values from the bucket. */
static void base_embedding(Embedding *e) {
    static const uint32_t buckets[] = {1, 5, 9, 17, 30, 41, 63};
    int64_t n = sizeof buckets / sizeof *buckets;
    uint32_t *b = malloc(sizeof buckets);
    float *v = malloc((size_t)n * DIM * sizeof *v);
    memcpy(b, buckets, sizeof buckets);
    for (int64_t r = 0; r < n * DIM; r++)
        v[r] = (float)(r % 7) * 0.125f - 0.375f;
    emb_init(e, DIM);
    must(emb_set_subwords(e, 1, 3, 64, n, b, v) == 0);
}

/* The run's configuration: a GRU over subword input of the base. */
static void run_config_of(ClassifierConfig *c) {
    config_defaults(c);
    config_set(c, "cell", "gru");
    config_set(c, "input", "embed");
    config_set(c, "subwords", "on");
    c->vocab = CAP;
    c->dim = DIM;
    c->units = 2;
    c->maxlen = MAXLEN;
}

/* The tokens a model is rebuilt over: word d has the word row d + 2 while
 * that is below the cap (the last ones have none). */
static void tokens(Dict *d, int32_t *index) {
    static const char *const words[NWORDS] = {"영화", "최고다", "zz", "x", "새로운낱말"};
    dict_init(d);
    for (int i = 0; i < NWORDS; i++)
        index[dict_add(d, words[i], strlen(words[i]))] = i + 2 < CAP ? i + 2 : 1;
}

/* One thread (as fuzz_labdb): the prediction is an OpenMP loop whose idle
 * workers would spin on the core the next input needs. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    el_set_threads(1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Embedding base;
    base_embedding(&base);
    SubwordRun r;
    if (subword_run_unpack(data, size, CAP, &base, &r) != 0) {
        must(el_error()[0] != 0);
        el_clear_error();
        emb_free(&base);
        return 0;
    }
    ClassifierConfig c;
    run_config_of(&c);
    Dict d;
    int32_t index[NWORDS];
    tokens(&d, index);
    SubwordInput si;
    must(subword_input_build_mapped(&si, &d, index, CAP, base.minn, base.maxn, base.buckets) == 0);
    ModelConfig mc;
    must(classifier_model_config(&c, &mc) == 0);
    Model m;
    if (subword_run_model(&r, &base, &si, &mc, &m) == 0) {
        int32_t x[2 * MAXLEN] = {0, 2, 3, 4, 5, 6, 1, 0};
        real p[2];
        predict_probs(&m, x, 2, p);
        /* Packed again over these tokens: the same words and dense part,
         * and no n-gram row the blob did not have. */
        void *blob;
        size_t bytes;
        subword_run_pack(&si, &m, &base, &blob, &bytes);
        SubwordRun back;
        must(subword_run_unpack(blob, bytes, CAP, &base, &back) == 0);
        must(back.ndense == r.ndense && back.nrows <= r.nrows);
        must(memcmp(back.words, r.words, (size_t)CAP * DIM * sizeof(real)) == 0);
        subword_run_free(&back);
        free(blob);
        model_free(&m);
    } else {
        el_clear_error();
    }
    subword_input_free(&si);
    dict_free(&d);
    subword_run_free(&r);
    emb_free(&base);
    return 0;
}
