/* tests/test_saved_run.c: a finished subword-input run used again
 * (experiments/run/saved_run.c, experiments/run/subword_run.c): reloaded, its model
 * gives the test predictions it stored bit for bit, over the test split and
 * over the same texts given to predict, words never seen in training
 * included (one by one, to float rounding); a run
 * stored as a whole table (before SUBWORD_RUN_FORMAT) loads the same; a
 * damaged blob, a replaced embedding and a removed one are refused. */
#include "tests/fixtures.h"

#include "core/common.h"
#include "core/rng.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/text/tok_kind.h"
#include "embed/word2vec.h"
#include "experiments/run/runner.h"
#include "experiments/run/saved_run.h"
#include "rnn/config.h"

enum { DIM = 8, CAP = 12, NTEST = 6 };

typedef struct {
    char *dir, *train, *test;
    sqlite3 *db;
    int64_t run;
    RunPredictions stored;
    char *texts[NTEST];
} Fixture;

/* Korean-like reviews (as tests/test_subword_input.c's): good or bad stems
 * with one of four endings; the test split's forms end in 도, which training
 * never sees, and two have syllables no training review has. */
static char *reviews(const char *dir, Fixture *f) {
    const char *good[] = {"최고", "명작", "감동"}, *bad[] = {"별로", "졸작", "지루"};
    const char *end[] = {"다", "이다", "임", "였다"};
    Rng r;
    rng_seed(&r, 3);
    size_t cap = 1 << 16, n = 0;
    char *s = xmalloc(cap);
    for (int i = 0; i < 300; i++) {
        int label = i % 2;
        const char **st = label ? good : bad;
        n += (size_t)snprintf(s + n, cap - n, "%d\t영화 %s%s 정말 %s%s\n", label, st[rng_below(&r, 3)],
                              end[rng_below(&r, 4)], st[rng_below(&r, 3)], end[rng_below(&r, 4)]);
    }
    char *train = fixture_write(dir, "train.tsv", s, n);
    const char *test[NTEST] = {"영화 최고도 명작도", "별로도 졸작도", "감동도 정말",
                               "지루도 영화",        "꿀잼도 최고도", "망작도 zzqx"};
    n = 0;
    for (int i = 0; i < NTEST; i++) {
        n += (size_t)snprintf(s + n, cap - n, "%d\t%s\n", i % 2 == 0, test[i]);
        f->texts[i] = (char *)test[i];
    }
    f->test = fixture_write(dir, "test.tsv", s, n);
    free(s);
    return train;
}

/* A subword embedding 'k' of the training split, saved. */
static void embedding(sqlite3 *db, const LabData *d) {
    W2vParams p;
    fixture_subword_params(&p, DIM, 1, 3, 3);
    W2vModel m;
    assert_int_equal(w2v_train(&p, &d->corpus, SPLIT_MASK(SPLIT_TRAIN), &m), 0);
    Embedding e;
    emb_init(&e, m.dim);
    for (int32_t w = 0; w < m.nwords; w++)
        assert_int_equal(emb_add(&e, m.words[w], strlen(m.words[w]), m.vectors + (size_t)w * m.dim, m.count[w]), 0);
    emb_finish(&e);
    uint32_t *b = xmalloc(((size_t)m.nngrams + 1) * sizeof *b);
    float *v = xmalloc(((size_t)m.nngrams * m.dim + 1) * sizeof *v);
    memcpy(b, m.ngram_bucket, (size_t)m.nngrams * sizeof *b);
    memcpy(v, m.ngram_vectors, (size_t)m.nngrams * m.dim * sizeof *v);
    assert_int_equal(emb_set_subwords(&e, m.minn, m.maxn, m.buckets, m.nngrams, b, v), 0);
    w2v_free(&m);
    EmbeddingInfo info = {.params_json = "{}", .corpus = "fixture", .source = "trained"};
    assert_int_equal(db_embedding_save(db, "k", &info, &e, NULL), 0);
    emb_free(&e);
}

/* A finished subword-input run over embedding 'k' (frozen or fine-tuned),
 * and the predictions it stored. */
static void fixture(Fixture *f, int freeze) {
    memset(f, 0, sizeof *f);
    f->dir = fixture_dir();
    f->train = reviews(f->dir, f);
    fixture_lab(f->dir, &f->db);
    LabData d;
    assert_int_equal(labdata_load(&d, f->train, f->test, NULL), 0);
    embedding(f->db, &d);
    Experiment c;
    experiment_defaults(&c);
    assert_int_equal(experiment_set(&c, "cell", "gru"), 0);
    assert_int_equal(experiment_set(&c, "input", "embed"), 0);
    snprintf(c.embedding, sizeof c.embedding, "k");
    assert_int_equal(experiment_set(&c, "subwords", "on"), 0);
    assert_int_equal(experiment_set(&c, "opt", "adam"), 0);
    c.model.vocab = CAP;
    c.model.units = 6;
    c.model.maxlen = 5;
    c.model.epochs = 2;
    c.model.patience = 0;
    c.model.lr = 1e-2;
    c.model.freeze = freeze;
    RunOptions o = {.quiet = 1};
    assert_int_equal(classifier_run(f->db, &c, &d, &o, &f->run, NULL), 0);
    labdata_free(&d);
    assert_int_equal(run_read_predictions(f->db, f->run, &f->stored), 0);
    assert_int_equal(f->stored.n, NTEST);
}

static void fixture_free(Fixture *f) {
    run_predictions_free(&f->stored);
    lab_close(f->db);
    fixture_rmtree(f->dir);
    free(f->dir);
    free(f->train);
    free(f->test);
}

/* The reloaded run's probabilities, of the test split and of the texts one
 * call apiece, are the stored ones bit for bit. */
static void same_as_stored(Fixture *f) {
    SavedRun r;
    assert_int_equal(saved_run_load(f->db, f->run, &r), 0);
    Dataset d;
    assert_int_equal(saved_run_test(&r, NULL, &d), 0);
    assert_int_equal(d.n, NTEST);
    real p[NTEST];
    evaluate_probs(&r.m, &d, p);
    for (int i = 0; i < NTEST; i++)
        assert_true((float)p[i] == f->stored.probs[i]);
    dataset_free(&d);
    /* The texts as one batch: the same chunk as the test split's. */
    assert_int_equal(saved_run_predict(&r, f->texts, NTEST, p), 0);
    for (int i = 0; i < NTEST; i++)
        assert_true((float)p[i] == f->stored.probs[i]);
    /* One by one, each over its own tokens alone: BLAS may sum a batch of
     * one in another order (a matrix-vector product), so to float rounding. */
    for (int i = 0; i < NTEST; i++) {
        real one;
        assert_int_equal(saved_run_predict(&r, &f->texts[i], 1, &one), 0);
        assert_float_equal(one, f->stored.probs[i], 1e-6);
    }
    saved_run_free(&r);
}

static void fine_tuned_run_reloads_exactly(void **state) {
    (void)state;
    Fixture f;
    fixture(&f, 0);
    char *format = fixture_db_text(f.db, "SELECT format FROM models");
    assert_string_equal(format, SUBWORD_RUN_FORMAT);
    free(format);
    same_as_stored(&f);
    fixture_free(&f);
}

static void frozen_run_stores_no_ngram_row(void **state) {
    (void)state;
    Fixture f;
    fixture(&f, 1);
    assert_int_equal(fixture_db_int(f.db, "SELECT hex(substr(params, 25, 8)) = '0000000000000000' FROM models"), 1);
    same_as_stored(&f);
    fixture_free(&f);
}

/* Before SUBWORD_RUN_FORMAT a run stored its whole table: rows in the order
 * of the buckets of its data's tokens. Such a row (made here as the old code
 * made it: the model over every split's tokens) loads by reading the data
 * again, and predicts the same. */
static void whole_table_run_loads(void **state) {
    (void)state;
    Fixture f;
    fixture(&f, 0);
    SavedRun r;
    assert_int_equal(saved_run_load(f.db, f.run, &r), 0);
    LabData d;
    assert_int_equal(labdata_load(&d, f.train, f.test, NULL), 0);
    SubwordInput si;
    assert_int_equal(subword_input_build(&si, &d.corpus, &d.vocab, CAP, r.base.minn, r.base.maxn, r.base.buckets), 0);
    ModelConfig mc;
    assert_int_equal(classifier_model_config(&r.c.model, &mc), 0);
    Model m;
    assert_int_equal(subword_run_model(&r.sr, &r.base, &si, &mc, &m), 0);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(f.db, "UPDATE models SET format = 'float32-le', params = ?, hash = NULL", -1, &st, NULL), 0);
    sqlite3_bind_blob64(st, 1, m.params, (sqlite3_uint64)m.nparams * sizeof(real), SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    model_free(&m);
    subword_input_free(&si);
    labdata_free(&d);
    saved_run_free(&r);
    same_as_stored(&f);
    /* Its data changed since: the sizes no longer match, and it says so. */
    free(fixture_text(f.dir, "test.tsv", "1\t새로운 낱말들\n"));
    assert_int_equal(saved_run_load(f.db, f.run, &r), -1);
    assert_non_null(strstr(el_error(), "has the data changed?"));
    fixture_free(&f);
}

/* Sets stored n-gram row k's bucket (the blob's header says where the
 * buckets start) to b; the run must store at least k + 1 rows. */
static void bucket_set(sqlite3 *db, int64_t k, uint32_t b) {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT params FROM models", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    uint8_t *blob = xmalloc(n);
    memcpy(blob, sqlite3_column_blob(st, 0), n);
    sqlite3_finalize(st);
    uint64_t head[5];
    memcpy(head, blob, sizeof head);
    assert_true(head[3] > (uint64_t)k);
    memcpy(blob + sizeof head + 4 * (head[0] * head[1] + head[2]) + 4 * (size_t)k, &b, 4);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE models SET params = ?, hash = NULL", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob64(st, 1, blob, n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(blob);
}

/* A blob cut short, with a count that does not fit its bytes or with
 * buckets out of order, and an embedding that is not the one trained from,
 * are refused with a message. */
static void damage_is_refused(void **state) {
    (void)state;
    Fixture f;
    fixture(&f, 0);
    SavedRun r;
    assert_int_equal(lab_exec(f.db, "UPDATE models SET params = substr(params, 1, length(params) - 4), hash = NULL"),
                     0);
    assert_int_equal(saved_run_load(f.db, f.run, &r), -1);
    assert_non_null(strstr(el_error(), "header needs"));
    assert_int_equal(lab_exec(f.db,
                              "UPDATE models SET hash = NULL, params = substr(params, 1, 24) || x'ffffffffffffff7f' || "
                              "substr(params, 33)"),
                     0);
    assert_int_equal(saved_run_load(f.db, f.run, &r), -1);
    assert_non_null(strstr(el_error(), "n-gram rows in"));
    fixture_free(&f);

    /* A stored bucket out of order (fuzz/fuzz_subword_run.c found the
     * message read it after freeing it). */
    fixture(&f, 0);
    bucket_set(f.db, 1, 0);
    assert_int_equal(saved_run_load(f.db, f.run, &r), -1);
    assert_non_null(strstr(el_error(), "has bucket 0, not ascending"));
    bucket_set(f.db, 0, 0xffffffffu);
    assert_int_equal(saved_run_load(f.db, f.run, &r), -1);
    assert_non_null(strstr(el_error(), "has bucket 4294967295, not ascending below"));
    fixture_free(&f);

    fixture(&f, 0);
    assert_int_equal(lab_exec(f.db, "UPDATE ngrams SET vec = zeroblob(length(vec)) WHERE bucket = (SELECT min(bucket) "
                                    "FROM ngrams)"),
                     0);
    assert_int_equal(saved_run_load(f.db, f.run, &r), -1);
    assert_non_null(strstr(el_error(), "not the ones it was trained from"));
    fixture_free(&f);
}

/* A tokenizer whose one token is the whole text, spaces and all: what a
 * SentencePiece model whose pieces hold spaces gave (such models are refused
 * at load now: embed/text/spm_model.h). */
static int whole_text(const Tokenizer *t, const char *in, size_t n, TokenBuf *out) {
    (void)t;
    tokbuf_open(out);
    tokbuf_put(out, in, n);
    return 0;
}

/* Issue 18 item 3: encode() sized its index buffer by the tokenizer's token
 * count and filled it by splitting the tokens on spaces, so a token holding
 * spaces overflowed the heap (free(): invalid next size on a 3,000-word
 * predict). Now every field is read, as the same words tokenized one by one. */
static void spaces_inside_a_token(void **state) {
    (void)state;
    Fixture f;
    fixture(&f, 0);
    SavedRun r;
    assert_int_equal(saved_run_load(f.db, f.run, &r), 0);
    size_t cap = 3000 * 16, n = 0;
    char *text = xmalloc(cap);
    const char *words[] = {"영화", "최고도", "명작도", "별로도", "정말"};
    for (int i = 0; i < 3000; i++)
        n += (size_t)snprintf(text + n, cap - n, "%s%s", i ? " " : "", words[i % 5]);
    real want, got;
    assert_int_equal(saved_run_predict(&r, &text, 1, &want), 0);
    static const TokenizerKind whole = {.name = "whole", .tokens = whole_text};
    Tokenizer fake = {.kind = &whole, .spec = "whole"}, *own = r.tok;
    r.tok = &fake;
    assert_int_equal(saved_run_predict(&r, &text, 1, &got), 0);
    r.tok = own;
    assert_true(got == want);
    free(text);
    saved_run_free(&r);
    fixture_free(&f);
}

/* Issue 18 item 10: a damaged models row was used silently (models.vocab
 * NULL made predict answer otherwise). A NULL vocabulary is refused, with
 * or without a hash; a row whose bytes do not match the hash recorded when
 * the run finished is refused; a row of before the hash (NULL) loads. */
static void damaged_models_row(void **state) {
    (void)state;
    Fixture f;
    fixture(&f, 0);
    SavedRun r;
    char *hash = fixture_db_text(f.db, "SELECT hash FROM models");
    assert_int_equal(strlen(hash), 16);
    free(hash);
    const char *damage[] = {"UPDATE models SET vocab = NULL", "UPDATE models SET vocab = NULL, hash = NULL",
                            "UPDATE models SET vocab = vocab || 'x' || char(10)",
                            "UPDATE models SET params = zeroblob(length(params))",
                            "UPDATE models SET format = 'float16-le'"};
    const char *says[] = {"models.vocab is NULL", "models.vocab is NULL", "does not match its hash",
                          "does not match its hash", "does not match its hash"};
    for (size_t i = 0; i < sizeof damage / sizeof *damage; i++) {
        assert_int_equal(lab_exec(f.db, "SAVEPOINT d"), 0);
        assert_int_equal(lab_exec(f.db, damage[i]), 0);
        if (saved_run_load(f.db, f.run, &r) == 0) /* the old code: loaded, and answered otherwise */
            fail_msg("'%s' loaded", damage[i]);
        char want[64];
        snprintf(want, sizeof want, "run %lld: ", (long long)f.run);
        assert_non_null(strstr(el_error(), want));
        assert_non_null(strstr(el_error(), says[i]));
        assert_int_equal(lab_exec(f.db, "ROLLBACK TO d; RELEASE d"), 0);
    }
    /* A row stored before the hash loads as it did. */
    assert_int_equal(lab_exec(f.db, "UPDATE models SET hash = NULL"), 0);
    same_as_stored(&f);
    fixture_free(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fine_tuned_run_reloads_exactly), cmocka_unit_test(frozen_run_stores_no_ngram_row),
        cmocka_unit_test(whole_table_run_loads),          cmocka_unit_test(damage_is_refused),
        cmocka_unit_test(spaces_inside_a_token),          cmocka_unit_test(damaged_models_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
