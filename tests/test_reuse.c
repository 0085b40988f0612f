/* tests/test_reuse.c: what `train --reuse` matches. The reviews' fingerprint
 * (LabData.data_hash): the same reviews in other bytes (CRLF, a BOM) give the
 * same one; a flipped label, a changed word, two reviews swapped or a review
 * moved to the test split another. run_find_same: only a finished run whose
 * stored config, embedding row and tokenizer model are this run's. */
#include "tests/fixtures.h"

#include "core/common.h"
#include "db/lab.h"
#include "experiments/run/run_record.h"
#include "experiments/run/runner.h"
#include "rnn/config.h"

/* The fingerprint of train (and test, NULL: none) as TSV texts. */
static void hash_of(const char *dir, const char *train, const char *test, char out[17]) {
    char *tr = fixture_text(dir, "train.tsv", train);
    char *te = test ? fixture_text(dir, "test.tsv", test) : NULL;
    LabData d;
    assert_int_equal(labdata_load(&d, tr, te, NULL), 0);
    assert_int_equal(strlen(d.data_hash), 16);
    memcpy(out, d.data_hash, 17);
    labdata_free(&d);
    free(tr);
    free(te);
}

static void fingerprint(void **state) {
    (void)state;
    char *dir = fixture_dir();
    char base[17], h[17];
    const char *train = "1\tA great film\n0\tboring plot\n1\tloved it\n";
    const char *test = "0\tawful\n1\tgreat\n";
    hash_of(dir, train, test, base);
    hash_of(dir,
            "\xef\xbb\xbf"
            "1\ta GREAT film\r\n0\tboring, plot\r\n1\tloved it!\r\n",
            test, h);
    assert_string_equal(h, base); /* the same tokens, labels and order */
    hash_of(dir, "0\tA great film\n0\tboring plot\n1\tloved it\n", test, h);
    assert_string_not_equal(h, base); /* a label */
    hash_of(dir, "1\tA great films\n0\tboring plot\n1\tloved it\n", test, h);
    assert_string_not_equal(h, base); /* a word */
    hash_of(dir, "1\tA great\n0\tfilm boring plot\n1\tloved it\n", test, h);
    assert_string_not_equal(h, base); /* a word moved to the next review */
    hash_of(dir, "0\tboring plot\n1\tA great film\n1\tloved it\n", test, h);
    assert_string_not_equal(h, base); /* the order */
    hash_of(dir, "1\tA great film\n0\tboring plot\n", "1\tloved it\n0\tawful\n1\tgreat\n", h);
    assert_string_not_equal(h, base); /* a review moved to the test split */
    hash_of(dir, train, "0\tawful\n1\tgreat\n1\tgreat\n", h);
    assert_string_not_equal(h, base); /* the test split */
    fixture_rmtree(dir);
    free(dir);
}

/* A finished run of c, reading embedding emb (0: none), with test accuracy acc. */
static int64_t finished(sqlite3 *db, const Experiment *c, int64_t emb, double acc) {
    int64_t run;
    assert_int_equal(run_start(db, c, 0, NULL, emb, &run), 0);
    RunResult r = {.test_acc = acc, .test_loss = 0.5, .best_epoch = 2, .epochs = 3, .params = 10};
    real p[10] = {0};
    assert_int_equal(run_save_results(db, run, &r, p, 10, "a\n", 2), 0);
    return run;
}

static void lookup(void **state) {
    (void)state;
    char *dir = fixture_dir();
    sqlite3 *db;
    fixture_lab(dir, &db);
    assert_int_equal(lab_exec(db, "INSERT INTO embeddings(id, name, dim, params, corpus, tokens, vocab_size, seconds, "
                                  "words_per_sec, source) VALUES (7, 'e', 4, '{}', 'c', 1, 1, 0, 0, 'test')"),
                     0);
    Experiment c;
    experiment_defaults(&c);
    snprintf(c.data, sizeof c.data, "train.tsv");
    snprintf(c.data_hash, sizeof c.data_hash, "0123456789abcdef");
    assert_int_equal(experiment_set(&c, "subwords", "off"), 0);
    c.model.threads = 2;
    c.model.lr = 1e-3 / 3; /* a real that needs all its digits */
    int64_t run = 0, first = finished(db, &c, 0, 0.75);
    RunResult r;
    assert_int_equal(run_find_same(db, &c, 0, 0, &run, &r), 1);
    assert_int_equal(run, first);
    assert_true(r.test_acc == 0.75 && r.test_loss == 0.5 && r.best_epoch == 2 && r.epochs == 3 && r.params == 10);
    int64_t second = finished(db, &c, 0, 0.8);
    assert_int_equal(run_find_same(db, &c, 0, 0, &run, &r), 1);
    assert_int_equal(run, second); /* the newest */
    assert_true(r.test_acc == 0.8);
    /* Any field, the threads and the fingerprint included. */
    Experiment d = c;
    d.model.threads = 1;
    assert_int_equal(run_find_same(db, &d, 0, 0, &run, &r), 0);
    d = c;
    d.model.seed = 2;
    assert_int_equal(run_find_same(db, &d, 0, 0, &run, &r), 0);
    d = c;
    d.model.lr = 1e-3;
    assert_int_equal(run_find_same(db, &d, 0, 0, &run, &r), 0);
    d = c;
    d.data_hash[0] = '1';
    assert_int_equal(run_find_same(db, &d, 0, 0, &run, &r), 0);
    d = c;
    d.data_hash[0] = 0; /* data of unknown content */
    assert_int_equal(finished(db, &d, 0, 0.9) > 0, 1);
    assert_int_equal(run_find_same(db, &d, 0, 0, &run, &r), 0);
    /* Another embedding row, or a tokenizer model, is another run. */
    assert_int_equal(run_find_same(db, &c, 7, 0, &run, &r), 0);
    assert_int_equal(run_find_same(db, &c, 0, 1, &run, &r), 0);
    int64_t with_emb = finished(db, &c, 7, 0.7);
    assert_int_equal(run_find_same(db, &c, 7, 0, &run, &r), 1);
    assert_int_equal(run, with_emb);
    /* Only a finished run. */
    assert_int_equal(lab_exec(db, "UPDATE runs SET status = 'lost' WHERE id IN (2, 4)"), 0);
    assert_int_equal(run_find_same(db, &c, 0, 0, &run, &r), 1);
    assert_int_equal(run, first);
    assert_int_equal(run_find_same(db, &c, 7, 0, &run, &r), 0);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM runs"), 4); /* nothing written */
    lab_close(db);
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fingerprint),
        cmocka_unit_test(lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
