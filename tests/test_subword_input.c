/* tests/test_subword_input.c: a classifier over a subword embedding
 * (experiments/run/subword_input.c, rnn/model.c's gather-mean stage): an unseen
 * word's input is the embedding's n-gram composition bit for bit, a frozen
 * table stays as it was, fine-tuning moves exactly the rows its batches
 * touch, and training is bit-identical for any thread count, with every
 * pooling and bidirectional. The gradients themselves:
 * tests/test_gradients.c. */
#include "tests/fixtures.h"

#include <math.h>

#include "core/common.h"
#include "core/rng.h"
#include "embed/data/corpus.h"
#include "embed/data/sequence.h"
#include "embed/word2vec.h"
#include "experiments/run/subword_input.h"
#include "rnn/config.h"
#include "rnn/train.h"

enum { DIM = 8, MINN = 1, MAXN = 3, CAP = 12, MAXLEN = 6 };

typedef struct {
    Corpus c;
    Vocab v;
    Embedding emb;
    SubwordInput si;
    Dataset train, val, test;
} Fixture;

/* Korean-like reviews: a positive one uses good stems, a negative one bad
 * stems, each with one of four endings. The test split's ending 도 never
 * occurs in training, so its forms are unseen words. */
static void reviews(Corpus *c) {
    corpus_init(c);
    const char *good[] = {"최고", "명작", "감동"}, *bad[] = {"별로", "졸작", "지루"};
    const char *end[] = {"다", "이다", "임", "였다"};
    Rng r;
    rng_seed(&r, 3);
    char text[256];
    for (int i = 0; i < 400; i++) {
        int label = i % 2;
        const char **st = label ? good : bad;
        int n = snprintf(text, sizeof text, "영화 %s%s 정말 %s%s", st[rng_below(&r, 3)], end[rng_below(&r, 4)],
                         st[rng_below(&r, 3)], end[rng_below(&r, 4)]);
        corpus_add_text(c, text, (size_t)n, label, 0, SPLIT_TRAIN);
    }
    const char *t1 = "영화 최고도 명작도", *t0 = "별로도 졸작도";
    corpus_add_text(c, t1, strlen(t1), 1, 0, SPLIT_TEST);
    corpus_add_text(c, t0, strlen(t0), 0, 0, SPLIT_TEST);
}

/* A subword embedding trained on the training split (as embed train
 * --subwords 1-3 makes one), its rows copied into an Embedding. */
static void embedding(const Corpus *c, Embedding *e) {
    W2vParams p;
    fixture_subword_params(&p, DIM, MINN, MAXN, 3);
    W2vModel m;
    assert_int_equal(w2v_train(&p, c, SPLIT_MASK(SPLIT_TRAIN), &m), 0);
    emb_init(e, m.dim);
    for (int32_t w = 0; w < m.nwords; w++)
        assert_int_equal(emb_add(e, m.words[w], strlen(m.words[w]), m.vectors + (size_t)w * m.dim, m.count[w]), 0);
    emb_finish(e);
    uint32_t *b = xmalloc(((size_t)m.nngrams + 1) * sizeof *b);
    float *v = xmalloc(((size_t)m.nngrams * m.dim + 1) * sizeof *v);
    memcpy(b, m.ngram_bucket, (size_t)m.nngrams * sizeof *b);
    memcpy(v, m.ngram_vectors, (size_t)m.nngrams * m.dim * sizeof *v);
    assert_int_equal(emb_set_subwords(e, m.minn, m.maxn, m.buckets, m.nngrams, b, v), 0);
    w2v_free(&m);
}

/* The corpus, its embedding, the token rows and the three datasets as type
 * ids, as experiments/run/runner.c makes them. */
static void fixture(Fixture *f) {
    reviews(&f->c);
    vocab_build(&f->v, &f->c, SPLIT_MASK(SPLIT_TRAIN));
    embedding(&f->c, &f->emb);
    assert_int_equal(subword_input_build(&f->si, &f->c, &f->v, CAP, f->emb.minn, f->emb.maxn, f->emb.buckets), 0);
    SeqOptions so = {.cap = CAP, .maxlen = MAXLEN, .pad = SIDE_PRE, .truncate = SIDE_PRE};
    uint8_t is_val[400];
    split_validation(400, 0.2, 1, is_val);
    dataset_build(&f->train, &f->c, &f->v, &so, SPLIT_TRAIN, is_val, 0);
    dataset_build(&f->val, &f->c, &f->v, &so, SPLIT_TRAIN, is_val, 1);
    dataset_build(&f->test, &f->c, &f->v, &so, SPLIT_TEST, NULL, 0);
    subword_input_dataset(&f->si, &f->c, &so, &f->train);
    subword_input_dataset(&f->si, &f->c, &so, &f->val);
    subword_input_dataset(&f->si, &f->c, &so, &f->test);
}

static void fixture_free(Fixture *f) {
    dataset_free(&f->train), dataset_free(&f->val), dataset_free(&f->test);
    subword_input_free(&f->si);
    emb_free(&f->emb);
    vocab_free(&f->v);
    corpus_free(&f->c);
}

static ClassifierConfig config(const char *pool, int freeze) {
    ClassifierConfig c;
    config_defaults(&c);
    assert_int_equal(config_set(&c, "cell", "gru"), 0);
    assert_int_equal(config_set(&c, "pool", pool), 0);
    assert_int_equal(config_set(&c, "subwords", "on"), 0);
    assert_int_equal(config_set(&c, "opt", "adam"), 0);
    c.vocab = CAP;
    c.dim = DIM;
    c.units = 6;
    c.maxlen = MAXLEN;
    c.batch = 40; /* not a multiple of the chunk size */
    c.epochs = 2;
    c.patience = 0;
    c.lr = 1e-2;
    c.freeze = freeze;
    return c;
}

/* A model on f's rows (rows NULL: plain embedding input), started from the embedding. */
static Model model(const Fixture *f, const ClassifierConfig *c, const TokenRows *rows) {
    ModelConfig mc;
    assert_int_equal(classifier_model_config(c, &mc), 0);
    mc.rows = rows;
    Model m;
    assert_int_equal(model_init(&m, &mc, c->seed), 0);
    if (rows)
        subword_input_init(&f->si, &m, &f->emb, &f->c, &f->v, NULL, NULL);
    return m;
}

static int32_t type_of(const Fixture *f, const char *word) {
    int32_t id = dict_find(&f->c.dict, word, strlen(word));
    assert_true(id >= 0);
    return f->si.type_of[id];
}

/* A word the classifier has no row for (only in the test split, or beyond
 * the vocabulary's cap) gets exactly the embedding's vector of an unseen
 * word; a vocabulary word starts at the embedding's vector of it. */
static void unseen_word_is_ngram_composition(void **state) {
    (void)state;
    Fixture f;
    fixture(&f);
    ClassifierConfig c = config("last", 0);
    Model m = model(&f, &c, &f.si.rows);
    SubwordVectors sv;
    assert_int_equal(emb_subwords(&f.emb, &sv), 1);
    real got[DIM];
    float want[DIM];
    const char *beyond_cap = dict_word(&f.c.dict, f.v.by_rank[CAP - 2]); /* index CAP: out of the vocabulary */
    const char *unseen[] = {"최고도", "명작도", "별로도", beyond_cap};
    for (int i = 0; i < 4; i++) {
        int32_t k = type_of(&f, unseen[i]);
        assert_true(f.si.row[f.si.start[k]] >= CAP); /* n-gram rows only */
        model_input_vector(&m, k, got);
        assert_true(subword_oov_vector(&sv, unseen[i], strlen(unseen[i]), want, NULL) > 0);
        assert_memory_equal(got, want, sizeof want);
    }
    for (int32_t r = 0; r + 2 < CAP; r++) {
        const char *w = dict_word(&f.c.dict, f.v.by_rank[r]);
        int32_t k = type_of(&f, w), row = emb_row(&f.emb, w);
        assert_int_equal(f.si.row[f.si.start[k]], r + 2); /* its word row first */
        model_input_vector(&m, k, got);
        for (int d = 0; d < DIM; d++)
            assert_float_equal(got[d], f.emb.vec[(size_t)row * DIM + d], 1e-5);
    }
    model_free(&m);
    fixture_free(&f);
}

/* Training with --freeze leaves every row of the table as it started. */
static void frozen_rows_unchanged(void **state) {
    (void)state;
    Fixture f;
    fixture(&f);
    ClassifierConfig c = config("mean", 1);
    Model m = model(&f, &c, &f.si.rows);
    size_t table = (size_t)m.dense_from * sizeof(real);
    real *before = xmalloc((size_t)m.nparams * sizeof(real));
    memcpy(before, m.params, (size_t)m.nparams * sizeof(real));
    TrainSummary sum;
    assert_int_equal(train_model(&m, &c, &f.train, &f.val, NULL, NULL, NULL, &sum), 0);
    assert_memory_equal(before, m.params, table);
    assert_memory_not_equal(before + m.dense_from, m.params + m.dense_from,
                            (size_t)(m.nparams - m.dense_from) * sizeof(real));
    free(before);
    model_free(&m);
    fixture_free(&f);
}

/* Fine-tuning moves exactly the rows the training sequences use (word and
 * n-gram rows alike); rows of words only in the validation or test split
 * stay as they were (the lazy step leaves untouched rows alone). */
static void fine_tuning_moves_touched_rows(void **state) {
    (void)state;
    Fixture f;
    fixture(&f);
    ClassifierConfig c = config("max", 0);
    Model m = model(&f, &c, &f.si.rows);
    real *before = xmalloc((size_t)m.nparams * sizeof(real));
    memcpy(before, m.params, (size_t)m.nparams * sizeof(real));
    uint8_t *touched = xcalloc((size_t)m.table_rows, 1);
    for (int64_t i = 0; i < f.train.n * MAXLEN; i++)
        for (int64_t k = f.si.start[f.train.x[i]]; k < f.si.start[f.train.x[i] + 1]; k++)
            touched[f.si.row[k]] = 1;
    TrainSummary sum;
    assert_int_equal(train_model(&m, &c, &f.train, &f.val, NULL, NULL, NULL, &sum), 0);
    int moved = 0, kept = 0;
    for (int64_t r = 0; r < m.table_rows; r++) {
        int changed = memcmp(before + r * DIM, m.params + r * DIM, DIM * sizeof(real)) != 0;
        if (changed != touched[r])
            fail_msg("row %lld: touched %d, changed %d", (long long)r, touched[r], changed);
        moved += changed;
        kept += !changed;
    }
    assert_true(moved > 10 && kept > 3); /* both kinds exist: the test shows something */
    free(touched);
    free(before);
    model_free(&m);
    fixture_free(&f);
}

/* The same seed gives the same bits with 1, 2 or 3 threads: subword input
 * and plain embedding input, every pooling, one and two directions, dropout
 * and two layers. */
static void bit_identical_across_threads(void **state) {
    (void)state;
    Fixture f;
    fixture(&f);
    const char *pools[] = {"last", "mean", "max"}; /* and last again, bidirectional */
    for (int sub = 0; sub <= 1; sub++)
        for (int p = 0; p < 4; p++) {
            ClassifierConfig c = config(pools[p % 3], 0);
            c.bidirectional = p == 3;
            c.layers = 2;
            c.dropout = 0.2;
            c.recurrent_dropout = 0.2;
            Dataset train = f.train, val = f.val;
            Model ref = {0};
            for (int threads = 1; threads <= 3; threads++) {
                el_set_threads(threads);
                /* Plain input reads the type ids as indices under the cap. */
                Model m = model(&f, &c, sub ? &f.si.rows : NULL);
                TrainSummary sum;
                assert_int_equal(train_model(&m, &c, &train, &val, NULL, NULL, NULL, &sum), 0);
                if (threads == 1) {
                    ref = m;
                } else {
                    assert_int_equal(m.nparams, ref.nparams);
                    assert_memory_equal(ref.params, m.params, (size_t)m.nparams * sizeof(real));
                    model_free(&m);
                }
            }
            model_free(&ref);
        }
    el_set_threads(2);
    fixture_free(&f);
}

int main(void) {
    el_set_threads(2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unseen_word_is_ngram_composition),
        cmocka_unit_test(frozen_rows_unchanged),
        cmocka_unit_test(fine_tuning_moves_touched_rows),
        cmocka_unit_test(bit_identical_across_threads),
    };
    return cmocka_run_group_tests_name("subword_input", tests, NULL, NULL);
}
