/* tests/test_subword_db.c: subword embeddings in the lab notebook
 * (db/embeddings.c, embed/vectors.c): the n-gram rows saved with the
 * embedding are the buckets of the vocabulary's n-grams (fastText's hash),
 * they load back bit for bit, and the vector of a word never seen in
 * training is the mean of its n-grams' stored rows. A crafted ngrams row or
 * setting is an error with a message, never a crash; removing the
 * embedding removes its rows. */
#include "tests/fixtures.h"

#include <math.h>

#include "core/common.h"
#include "core/rng.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/subword.h"
#include "embed/vectors.h"
#include "embed/word2vec.h"

/* Korean-like inflection: stems with endings, each stem's sentences with
 * context words of its own. "영화도" (the ending 도) is never seen. */
static const char *stems[] = {"영화", "배우", "감독", "음악", "장면", "결말"};
static const char *endings[] = {"가", "는", "를", "에서", "였다", "이다"};
enum { STEMS = 6, ENDINGS = 6, MINN = 1, MAXN = 3, DIM = 12 };

static void korean_corpus(Corpus *c) {
    corpus_init(c);
    Rng r;
    rng_seed(&r, 3);
    char text[1024];
    for (int s = 0; s < 1500; s++) {
        int f = (int)rng_below(&r, STEMS), len = 0;
        for (int i = 0; i < 10; i++) {
            if (rng_below(&r, 100) < 40)
                len += snprintf(text + len, sizeof text - len, "%s%s ", stems[f], endings[rng_below(&r, ENDINGS)]);
            else
                len += snprintf(text + len, sizeof text - len, "c%dx%d ", f, (int)rng_below(&r, 5));
        }
        corpus_add_text(c, text, len, -1, 0, SPLIT_TRAIN);
    }
}

/* A subword model and its embedding (the n-gram rows copied, so that the
 * model can still answer w2v_word_vector). */
static void train(W2vModel *m, Embedding *e) {
    Corpus c;
    korean_corpus(&c);
    W2vParams p;
    fixture_subword_params(&p, DIM, MINN, MAXN, 5);
    assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), m), 0);
    corpus_free(&c);
    emb_init(e, m->dim);
    for (int32_t w = 0; w < m->nwords; w++)
        assert_int_equal(emb_add(e, m->words[w], strlen(m->words[w]), m->vectors + (size_t)w * m->dim, m->count[w]), 0);
    emb_finish(e);
    uint32_t *b = xmalloc(((size_t)m->nngrams + 1) * sizeof *b);
    float *v = xmalloc(((size_t)m->nngrams * m->dim + 1) * sizeof *v);
    memcpy(b, m->ngram_bucket, (size_t)m->nngrams * sizeof *b);
    memcpy(v, m->ngram_vectors, (size_t)m->nngrams * m->dim * sizeof *v);
    assert_int_equal(emb_set_subwords(e, m->minn, m->maxn, m->buckets, m->nngrams, b, v), 0);
}

/* train(), then the embedding saved as "k" with info in a new lab.db under
 * *dir (its id in *id when id is not NULL); returns the open database. */
static sqlite3 *train_saved(W2vModel *m, Embedding *e, const EmbeddingInfo *info, char **dir, int64_t *id) {
    train(m, e);
    *dir = fixture_dir();
    sqlite3 *db;
    fixture_lab(*dir, &db);
    assert_int_equal(db_embedding_save(db, "k", info, e, id), 0);
    return db;
}

static int by_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The stored rows are exactly the distinct buckets of the vocabulary's
 * n-grams, ascending, each with the model's row; the setting is in params. */
static void saved_rows_are_the_vocabularys_buckets(void **state) {
    (void)state;
    W2vModel m;
    Embedding e;
    EmbeddingInfo info = {.params_json = "{\"model\":\"sg\"}", .corpus = "test"};
    char *dir;
    int64_t id;
    sqlite3 *db = train_saved(&m, &e, &info, &dir, &id);

    /* The buckets of every vocabulary word's n-grams, by the hash alone. */
    size_t cap = 1 << 16, n = 0;
    uint32_t *want = xmalloc(cap * sizeof *want);
    for (int32_t w = 0; w < m.nwords; w++)
        n += subword_buckets(m.words[w], strlen(m.words[w]), MINN, MAXN, SUBWORD_BUCKETS, want + n, cap - n);
    assert_true(n < cap);
    qsort(want, n, sizeof *want, by_u32);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || want[i] != want[i - 1])
            want[distinct++] = want[i];
    assert_int_equal(distinct, m.nngrams);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM ngrams"), m.nngrams);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT bucket, vec FROM ngrams ORDER BY bucket", -1, &st, NULL), 0);
    for (size_t i = 0; i < distinct; i++) {
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int64(st, 0), want[i]);
        assert_int_equal(sqlite3_column_bytes(st, 1), DIM * 4);
        assert_memory_equal(sqlite3_column_blob(st, 1), m.ngram_vectors + i * DIM, DIM * 4);
    }
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(fixture_db_int(db, "SELECT json_extract(params, '$.minn') * 100 + json_extract(params, '$.maxn') "
                                        "FROM embeddings"),
                     MINN * 100 + MAXN);
    assert_int_equal(fixture_db_int(db, "SELECT json_extract(params, '$.buckets') FROM embeddings"), SUBWORD_BUCKETS);
    assert_int_equal(fixture_db_int(db, "SELECT json_extract(params, '$.model') = 'sg' FROM embeddings"), 1);

    /* Loaded back: the same setting and rows. */
    Embedding back;
    assert_int_equal(db_embedding_load_subwords(db, "k", &back, NULL), 0);
    assert_int_equal(back.minn, MINN);
    assert_int_equal(back.maxn, MAXN);
    assert_int_equal(back.buckets, SUBWORD_BUCKETS);
    assert_int_equal(back.nngrams, m.nngrams);
    assert_memory_equal(back.ngram_bucket, m.ngram_bucket, (size_t)m.nngrams * sizeof(uint32_t));
    assert_memory_equal(back.ngram_vec, m.ngram_vectors, (size_t)m.nngrams * DIM * sizeof(float));
    emb_free(&back);
    /* db_embedding_load (a classifier's) leaves them out. */
    assert_int_equal(db_embedding_load(db, "k", &back, NULL), 0);
    assert_int_equal(back.minn, 0);
    assert_null(back.ngram_vec);
    emb_free(&back);

    /* Removing the embedding removes its rows (foreign keys are on). */
    assert_int_equal(fixture_db_int(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(db_embedding_remove(db, "k", NULL, 0), 0);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM ngrams"), 0);
    lab_close(db);
    free(want);
    emb_free(&e);
    w2v_free(&m);
    fixture_rmtree(dir);
    free(dir);
}

/* An unseen word's vector, after a round trip through lab.db, is the mean
 * over its n-grams of their stored rows (a bucket without a row counting as
 * zero), as the model itself gives it; its neighbours are its stem's forms. */
static void unseen_word_from_stored_rows(void **state) {
    (void)state;
    W2vModel m;
    Embedding e;
    EmbeddingInfo info = {.params_json = "{}"};
    char *dir;
    sqlite3 *db = train_saved(&m, &e, &info, &dir, NULL);
    Embedding back;
    assert_int_equal(db_embedding_load_subwords(db, "k", &back, NULL), 0);

    const char *word = "영화도";
    size_t len = strlen(word);
    assert_int_equal(emb_row(&back, word), -1);
    /* By hand: its buckets, each row read with SQL. */
    uint32_t b[64];
    size_t n = subword_buckets(word, len, MINN, MAXN, SUBWORD_BUCKETS, b, 64);
    assert_int_equal(n, 10); /* <영 <영화 영 영화 영화도 화 화도 화도> 도 도> */
    double want[DIM] = {0};
    int found = 0;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT vec FROM ngrams WHERE bucket = ?", -1, &st, NULL), 0);
    for (size_t k = 0; k < n; k++) {
        sqlite3_bind_int64(st, 1, b[k]);
        if (sqlite3_step(st) == SQLITE_ROW) {
            found++;
            float v[DIM];
            memcpy(v, sqlite3_column_blob(st, 0), sizeof v);
            for (int d = 0; d < DIM; d++)
                want[d] += v[d];
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    assert_int_equal(found, 5); /* those of 영화...: "도" is seen nowhere */
    double norm = 0;
    for (int d = 0; d < DIM; d++) {
        want[d] /= (double)n;
        norm += want[d] * want[d];
    }
    norm = sqrt(norm);
    float unit[DIM], model[DIM];
    int64_t got_found, got_total;
    assert_int_equal(emb_query(&back, word, len, unit, &got_found, &got_total), EMB_FROM_NGRAMS);
    assert_int_equal(got_found, 5);
    assert_int_equal(got_total, 10);
    assert_int_equal(w2v_word_vector(&m, word, len, model), 0);
    float model_norm = 0;
    for (int d = 0; d < DIM; d++)
        model_norm += model[d] * model[d];
    model_norm = sqrtf(model_norm);
    for (int d = 0; d < DIM; d++) {
        assert_float_equal(unit[d], want[d] / norm, 1e-5);
        assert_float_equal(unit[d], model[d] / model_norm, 1e-6);
    }
    /* Its nearest words are of its stem's sentences (forms of 영화 or the
     * context words c0x*), and its stem's forms are among the first. */
    Scored best[5];
    assert_int_equal(emb_nearest(&back, unit, 5, NULL, 0, best), 5);
    int forms = 0;
    for (int i = 0; i < 5; i++) {
        const char *w = emb_word(&back, best[i].index);
        int form = strncmp(w, "영화", strlen("영화")) == 0;
        assert_true(form || strncmp(w, "c0x", 3) == 0);
        forms += form && i < 3;
    }
    assert_true(forms >= 1);
    /* A vocabulary word is its own row; a word none of whose n-grams is known has no vector. */
    assert_int_equal(emb_query(&back, "배우가", strlen("배우가"), unit, &got_found, &got_total),
                     emb_row(&back, "배우가"));
    assert_int_equal(emb_query(&back, "zzz", 3, unit, &got_found, &got_total), EMB_NO_VECTOR);
    assert_int_equal(got_found, 0);
    assert_int_equal(got_total, 10); /* <z <zz z zz zzz z zz zz> z z> */
    emb_free(&back);
    lab_close(db);
    emb_free(&e);
    w2v_free(&m);
    fixture_rmtree(dir);
    free(dir);
}

/* Crafted files: each damage is refused on loading with a message naming
 * it (and the sanitizers see no bad access or leak). */
static void crafted_rows_are_refused(void **state) {
    (void)state;
    static const struct {
        const char *sql, *message;
    } cases[] = {
        {"UPDATE ngrams SET vec = x'0000803f' WHERE bucket = (SELECT min(bucket) FROM ngrams)",
         "has 4 bytes, expected 16"},
        {"UPDATE ngrams SET vec = 'text' WHERE bucket = (SELECT min(bucket) FROM ngrams)", "expected 16"},
        {"UPDATE ngrams SET bucket = 2000000 WHERE bucket = (SELECT max(bucket) FROM ngrams)", "bucket 2000000"},
        {"UPDATE ngrams SET bucket = -1 WHERE bucket = (SELECT max(bucket) FROM ngrams)", "bucket -1"},
        {"UPDATE ngrams SET bucket = 'abc' WHERE bucket = (SELECT max(bucket) FROM ngrams)", "not a whole number"},
        {"UPDATE embeddings SET params = json_remove(params, '$.minn', '$.maxn', '$.buckets')", "no subword setting"},
        {"UPDATE embeddings SET params = json_remove(params, '$.maxn')", "only in part"},
        {"UPDATE embeddings SET params = json_set(params, '$.minn', 'three')", "not as whole numbers"},
        {"UPDATE embeddings SET params = json_set(params, '$.minn', 0)", "subwords 0-2"},
        {"UPDATE embeddings SET params = json_set(params, '$.maxn', 4294967298)", "subwords 1-4294967298"},
        {"UPDATE embeddings SET params = json_set(params, '$.buckets', 0)", "in 0 buckets"},
        {"UPDATE embeddings SET params = json_set(params, '$.buckets', 3)", "n-gram rows for 3 buckets"},
        /* 16 bytes of text are no vector (SQL nearest() refused them; the
         * library read them as floats before db/emb_rows.c). */
        {"UPDATE vectors SET vec = 'abcdefghijklmnop'", "the vector of 'ab' in 'k' is not a blob"},
        /* Buckets out of order: a table rebuilt without its primary key. */
        {"CREATE TABLE n2 AS SELECT * FROM ngrams; DROP TABLE ngrams; CREATE TABLE ngrams(embedding_id, bucket, vec);"
         "INSERT INTO ngrams SELECT * FROM n2; INSERT INTO ngrams VALUES (1, 10, zeroblob(16)); DROP TABLE n2",
         "buckets must be ascending, distinct"},
    };
    char *dir = fixture_dir();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/lab%zu.db", dir, i);
        sqlite3 *db;
        assert_int_equal(lab_open(path, &db), 0);
        /* A tiny subword embedding: dim 4, 1-2 grams, rows in 5 buckets. */
        assert_int_equal(lab_exec(db, "INSERT INTO embeddings(id, name, dim, vocab_size, params) VALUES (1, 'k', 4, 1, "
                                      "'{\"minn\":1,\"maxn\":2,\"buckets\":2000000}');"
                                      "INSERT INTO vectors VALUES (1, 'ab', 1, 1, zeroblob(16));"
                                      "INSERT INTO ngrams VALUES (1, 10, zeroblob(16)), (1, 20, zeroblob(16)),"
                                      "  (1, 30, zeroblob(16)), (1, 40, zeroblob(16)), (1, 50, zeroblob(16));"),
                         0);
        Embedding e;
        assert_int_equal(db_embedding_load_subwords(db, "k", &e, NULL), 0);
        emb_free(&e);
        assert_int_equal(lab_exec(db, cases[i].sql), 0);
        el_clear_error();
        assert_int_equal(db_embedding_load_subwords(db, "k", &e, NULL), -1);
        if (!strstr(el_error(), cases[i].message))
            fail_msg("case %zu: '%s' lacks '%s'", i, el_error(), cases[i].message);
        lab_close(db);
    }
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(saved_rows_are_the_vocabularys_buckets),
        cmocka_unit_test(unseen_word_from_stored_rows),
        cmocka_unit_test(crafted_rows_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
