/* tests/test_tokenizer_db.c: tokenizers in corpora and in the lab notebook
 * (embed/data/corpus.c, db/tokenizers.c): a learned model trained from a data
 * file's train split is the model its raw texts give; stored once per model,
 * read back in a new connection it cuts every text as before; a damaged,
 * missing or mislabeled row is an error with a message, never a crash;
 * corpora count invalid UTF-8 and keep the words kind as text_tokens(). */
#include "tests/fixtures.h"
#include "tests/spm_craft.h"

#include "core/common.h"
#include "db/lab.h"
#include "db/merge.h"
#include "db/tokenizers.h"
#include "embed/data/source.h"
#include "embed/data/corpus.h"
#include "embed/text/text.h"

static const char *const reviews[] = {
    "영화가 정말 최고다!!! ㅋㅋㅋㅋ", "배우의 연기는 별로다 ㅠㅠ",   "감독이 음악도 최고입니다",
    "스토리가 지루하다... 노잼",      "장면이 감동적이다 10점 만점", "결말은 실망했다 아깝다",
};

/* LABEL<TAB>TEXT lines: the reviews, again and again. */
static char *tsv(const char *dir, const char *name, int copies) {
    size_t cap = 1 << 16, len = 0;
    char *s = xmalloc(cap);
    for (int c = 0; c < copies; c++)
        for (size_t i = 0; i < sizeof reviews / sizeof *reviews; i++)
            len += (size_t)snprintf(s + len, cap - len, "%zu\t%s\n", i % 2, reviews[i]);
    char *path = fixture_write(dir, name, s, len);
    free(s);
    return path;
}

typedef struct {
    size_t i, n;
} Raw;

/* The reviews' raw texts, as many times as tsv() writes them. */
static int next_raw(void *ctx, const char **text, size_t *n) {
    Raw *r = ctx;
    if (r->i == r->n)
        return 0;
    *text = reviews[r->i++ % (sizeof reviews / sizeof *reviews)];
    *n = strlen(*text);
    return 1;
}

static const char *tokens(const Tokenizer *t, const char *in, TokenBuf *b) {
    assert_int_equal(tokenizer_tokens(t, in, strlen(in), b), 0);
    return b->text;
}

static void model_from_file_is_model_from_texts(void **state) {
    (void)state;
    char *dir = fixture_dir(), *path = tsv(dir, "train.tsv", 20);
    Tokenizer *a, *b;
    assert_int_equal(tokenizer_new("spm:bpe:60", &a), 0);
    assert_int_equal(tokenizer_new("spm:bpe:60", &b), 0);
    if (source_train_tokenizer(a, path, 0) != 0)
        fail_msg("%s", el_error());
    Raw raw = {0, 20 * sizeof reviews / sizeof *reviews};
    assert_int_equal(tokenizer_train(b, &(TextIter){next_raw, &raw}), 0);
    char *ma, *mb;
    size_t na, nb;
    assert_int_equal(tokenizer_save(a, &ma, &na), 0);
    assert_int_equal(tokenizer_save(b, &mb, &nb), 0);
    assert_int_equal(na, nb);
    assert_memory_equal(ma, mb, na);
    /* A fixed kind, or one trained already, is left as it is. */
    Tokenizer *w;
    assert_int_equal(tokenizer_new("unicode", &w), 0);
    assert_int_equal(source_train_tokenizer(w, "/nonexistent", 0), 0);
    assert_int_equal(source_train_tokenizer(a, "/nonexistent", 0), 0);
    tokenizer_free(w);
    free(ma), free(mb);
    tokenizer_free(a), tokenizer_free(b);
    free(path);
    fixture_rmtree(dir);
    free(dir);
}

static void stored_model_round_trip(void **state) {
    (void)state;
    char *dir = fixture_dir(), *path = tsv(dir, "train.tsv", 20), db_path[4096];
    snprintf(db_path, sizeof db_path, "%s/lab.db", dir);
    Tokenizer *t;
    assert_int_equal(tokenizer_new("spm:unigram:60", &t), 0);
    assert_int_equal(source_train_tokenizer(t, path, 0), 0);
    sqlite3 *db;
    assert_int_equal(lab_open(db_path, &db), 0);
    int64_t id, again, fixed;
    assert_int_equal(db_tokenizer_store(db, t, &id), 0);
    assert_int_equal(db_tokenizer_store(db, t, &again), 0);
    assert_true(id > 0);
    assert_int_equal(again, id); /* one row per model */
    Tokenizer *chars;
    assert_int_equal(tokenizer_new("chars", &chars), 0);
    assert_int_equal(db_tokenizer_store(db, chars, &fixed), 0);
    assert_int_equal(fixed, 0); /* a fixed kind needs no row */
    lab_close(db);

    assert_int_equal(lab_open_existing(db_path, &db), 0);
    Tokenizer *back;
    if (db_tokenizer_open(db, "spm:unigram:60", id, "run 1", &back) != 0)
        fail_msg("%s", el_error());
    const char *texts[] = {"영화가 정말 최고다!!!", "처음 보는 글자 뷁", "Netflix 10점", "ㅋㅋㅋㅋㅋ ㅠㅠ", ""};
    TokenBuf b1, b2;
    tokbuf_init(&b1), tokbuf_init(&b2);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        assert_string_equal(tokens(back, texts[i], &b2), tokens(t, texts[i], &b1));
    assert_string_equal(tokens(back, "영화가 정말 최고다", &b2), tokens(t, "영화가 정말 최고다", &b1));
    tokenizer_free(back);
    assert_int_equal(db_tokenizer_open(db, "chars", 0, "run 2", &back), 0);
    assert_string_equal(tokens(back, "최고", &b1), "최 고");
    tokenizer_free(back);
    tokbuf_free(&b1), tokbuf_free(&b2);
    lab_close(db);
    tokenizer_free(chars);
    tokenizer_free(t);
    free(path);
    fixture_rmtree(dir);
    free(dir);
}

/* What a crafted or damaged lab.db holds: each an error naming the owner. */
static void hostile_rows(void **state) {
    (void)state;
    char *dir = fixture_dir(), *path = tsv(dir, "train.tsv", 20), db_path[4096];
    snprintf(db_path, sizeof db_path, "%s/lab.db", dir);
    Tokenizer *t, *back = (Tokenizer *)1;
    assert_int_equal(tokenizer_new("spm:bpe:60", &t), 0);
    assert_int_equal(source_train_tokenizer(t, path, 0), 0);
    sqlite3 *db;
    assert_int_equal(lab_open(db_path, &db), 0);
    int64_t id;
    assert_int_equal(db_tokenizer_store(db, t, &id), 0);

    assert_int_equal(db_tokenizer_open(db, "spm:bpe:60", id + 1, "run 7", &back), -1);
    assert_null(back);
    assert_non_null(strstr(el_error(), "run 7: tokenizer spm:bpe:60 has no stored model"));
    assert_int_equal(db_tokenizer_open(db, "spm:bpe:80", id, "run 7", &back), -1);
    assert_non_null(strstr(el_error(), "holds a model of 'spm:bpe:60', not of spm:bpe:80"));
    assert_int_equal(db_tokenizer_open(db, "spm:nope", id, "run 7", &back), -1);
    assert_non_null(strstr(el_error(), "run 7: its tokenizer:"));

    /* A flipped byte: the hash says so. */
    assert_int_equal(lab_exec(db, "UPDATE tokenizers SET model = CAST(zeroblob(length(model)) AS BLOB)"), 0);
    assert_int_equal(db_tokenizer_open(db, "spm:bpe:60", id, "run 7", &back), -1);
    assert_non_null(strstr(el_error(), "do not match its hash"));
    /* Bytes that hash right but are no model (the hash recomputed by hand). */
    char hash[17], sql[256];
    static const char junk[64] = {0};
    snprintf(sql, sizeof sql, "UPDATE tokenizers SET hash = '%s'", db_tokenizer_hash(junk, sizeof junk, hash));
    assert_int_equal(lab_exec(db, "UPDATE tokenizers SET model = zeroblob(64)"), 0);
    assert_int_equal(lab_exec(db, sql), 0);
    assert_int_equal(db_tokenizer_open(db, "spm:bpe:60", id, "run 7", &back), -1);
    assert_non_null(strstr(el_error(), "not a SentencePiece model"));
    /* Empty, NULL, text instead of a blob. */
    const char *damage[] = {"UPDATE tokenizers SET model = X'', hash = '" /* empty */,
                            "UPDATE tokenizers SET model = 'abc', hash = '"};
    for (size_t i = 0; i < sizeof damage / sizeof *damage; i++) {
        const char *bytes = i == 0 ? "" : "abc";
        snprintf(sql, sizeof sql, "%s%s'", damage[i], db_tokenizer_hash(bytes, strlen(bytes), hash));
        assert_int_equal(lab_exec(db, sql), 0);
        assert_int_equal(db_tokenizer_open(db, "spm:bpe:60", id, "run 7", &back), -1);
    }
    lab_close(db);
    tokenizer_free(t);
    free(path);
    fixture_rmtree(dir);
    free(dir);
}

/* Corpora: invalid UTF-8 counted by every kind; words through a Corpus is
 * text_tokens() byte for byte; a failed load leaves the count as it was. */
static void corpus_counts_and_words(void **state) {
    (void)state;
    Tokenizer *uni;
    assert_int_equal(tokenizer_new("unicode", &uni), 0);
    Corpus c;
    corpus_init(&c);
    c.tok = uni;
    const char *bad_utf8 = "ok\xff\xfe 좋다 \x80";
    assert_int_equal(corpus_add_text(&c, bad_utf8, strlen(bad_utf8), 1, 0, SPLIT_TRAIN), 0);
    assert_int_equal(c.invalid, 3);
    assert_int_equal(c.docs[0].len, 2);
    assert_int_equal(corpus_add_text(&c, "!!", 2, 0, 0, SPLIT_TRAIN), 0);
    assert_int_equal(corpus_count_empty(&c, SPLITS_ALL), 0); /* "!!" is a token of the unicode kind */
    corpus_free(&c);
    tokenizer_free(uni);

    const char *in = "I<br />didn't LIKE it... 10/10 '재밌다' \xff";
    char want[256];
    size_t len = text_tokens(in, strlen(in), want);
    corpus_init(&c); /* tok NULL: words */
    assert_int_equal(corpus_add_text(&c, in, strlen(in), 1, 0, SPLIT_TRAIN), 0);
    assert_int_equal(corpus_add_text(&c, "!!", 2, 0, 0, SPLIT_TRAIN), 0);
    assert_int_equal(c.invalid, 1);
    assert_int_equal(corpus_count_empty(&c, SPLITS_ALL), 1);
    char got[256] = "";
    for (uint32_t i = 0; i < c.docs[0].len; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, dict_word(&c.dict, c.tokens[c.docs[0].start + i]));
    }
    assert_int_equal(strlen(got), len);
    assert_string_equal(got, want);
    /* A failed load (a bad label) leaves the invalid count as it was. */
    char *dir = fixture_dir(), *bad = fixture_text(dir, "bad.tsv", "1\tfine \xff\n2\tbad label\n");
    assert_int_equal(corpus_load_tsv(&c, bad, SPLIT_TRAIN), -1);
    assert_int_equal(c.invalid, 1);
    assert_int_equal(c.ndocs, 2);
    corpus_free(&c);
    free(bad);
    fixture_rmtree(dir);
    free(dir);
}

/* A crafted model whose hash was recomputed (the hash catches damage, not an
 * adversary): refused before SentencePiece parses it, with the row named,
 * and merge does not carry it into a clean lab (issue 18 item 2). */
static void crafted_model_refused_and_not_merged(void **state) {
    (void)state;
    char *dir = fixture_dir(), *path = tsv(dir, "train.tsv", 20), db_path[4096], clean_path[4096];
    snprintf(db_path, sizeof db_path, "%s/lab.db", dir);
    snprintf(clean_path, sizeof clean_path, "%s/clean.db", dir);
    Tokenizer *t, *back;
    assert_int_equal(tokenizer_new("spm:bpe:60", &t), 0);
    assert_int_equal(source_train_tokenizer(t, path, 0), 0);
    sqlite3 *db;
    assert_int_equal(lab_open(db_path, &db), 0);
    int64_t id;
    assert_int_equal(db_tokenizer_store(db, t, &id), 0);
    assert_int_equal(db_tokenizer_check_all(db, "this lab"), 0);
    char *bytes;
    size_t n;
    assert_int_equal(tokenizer_save(t, &bytes, &n), 0);
    Craft evil = craft_evil_charsmap(), spec = {0}, extra = {0};
    craft_len(&spec, 1, "identity", 8);
    craft_len(&spec, 2, evil.p, evil.n);
    craft_len(&extra, 3, spec.p, spec.n);
    Craft m = craft_model(bytes, n, 3, &extra);
    char hash[17];
    sqlite3_stmt *st;
    assert_int_equal(lab_prepare(db, "UPDATE tokenizers SET model = ?, hash = ?", &st), 0);
    sqlite3_bind_blob(st, 1, m.p, (int)m.n, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, db_tokenizer_hash(m.p, m.n, hash), -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(db_tokenizer_open(db, "spm:bpe:60", id, "run 7", &back), -1);
    assert_null(back);
    char want[128];
    snprintf(want, sizeof want, "run 7: tokenizers row %lld: tokenizer spm:bpe:60: not a SentencePiece model",
             (long long)id);
    assert_non_null(strstr(el_error(), want));
    assert_non_null(strstr(el_error(), "precompiled_charsmap"));
    assert_int_equal(db_tokenizer_check_all(db, "this lab"), -1);
    lab_close(db);
    /* merge refuses the lab, and the clean one is left as it was. */
    sqlite3 *clean;
    assert_int_equal(lab_open(clean_path, &clean), 0);
    int runs, embeddings;
    char notes[256];
    assert_int_equal(lab_merge(clean, db_path, &runs, &embeddings, notes, sizeof notes), -1);
    assert_non_null(strstr(el_error(), "precompiled_charsmap"));
    char *count = fixture_db_text(clean, "SELECT count(*) FROM tokenizers");
    assert_string_equal(count, "0");
    free(count);
    lab_close(clean);
    free(m.p), free(evil.p), free(spec.p), free(extra.p), free(bytes);
    tokenizer_free(t);
    free(path);
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_from_file_is_model_from_texts),
        cmocka_unit_test(stored_model_round_trip),
        cmocka_unit_test(hostile_rows),
        cmocka_unit_test(crafted_model_refused_and_not_merged),
        cmocka_unit_test(corpus_counts_and_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
