/* tests/test_input_kind.c: the seams of experiments and data: every input
 * kind of the table round-trips (parse -> configuration -> label), the
 * trainer registry, and the data-source registry picks the right reader and
 * names the kinds for a path of none. */
#include "tests/fixtures.h"

#include "core/common.h"
#include "embed/data/source.h"
#include "embed/trainer.h"
#include "experiments/run/input_kind.h"
#include "rnn/config.h"

/* Parses text, applies it at dim 8 (trained embeddings named "sweep-emb-8"),
 * checks the configuration, and returns its label (trainer: a stored
 * embedding's) in buf. */
static const char *round_trip(const char *text, const char *trainer, Experiment *c, char *buf, size_t n) {
    InputChoice ch;
    if (input_kind_parse(text, &ch) != 0)
        fail_msg("'%s' refused: %s", text, el_error());
    experiment_defaults(c);
    assert_int_equal(experiment_set(c, "dim", "8"), 0);
    assert_int_equal(input_kind_apply(&ch, text, 8, "sweep-emb-8", c), 0);
    assert_int_equal(experiment_check(c), 0);
    assert_string_equal(c->input_kind, text); /* recorded as given */
    return input_kind_label(&ch, trainer, buf, n);
}

static void table_round_trips(void **state) {
    (void)state;
    static const struct {
        const char *text, *trainer, *input, *embedding, *label;
        int freeze, per_dim, style;
    } cases[] = {
        {"onehot", NULL, "onehot", "random", "one-hot", 0, 0, 0},
        {"random", NULL, "embed", "random", "random", 0, 1, 1},
        {"word2vec", NULL, "embed", "sweep-emb-8", "word2vec", 0, 1, 0},
        {"word2vec-frozen", NULL, "embed", "sweep-emb-8", "word2vec (frozen)", 1, 1, 2},
        {"emb:imdb-sg16", "word2vec", "embed", "imdb-sg16", "imdb-sg16 (word2vec)", 0, 0, 0},
        {"emb:imdb-sg16:frozen", "word2vec", "embed", "imdb-sg16", "imdb-sg16 (word2vec, frozen)", 1, 0, 2},
        {"emb:glove", "imported", "embed", "glove", "glove (imported)", 0, 0, 0},
        {"emb:gone", NULL, "embed", "gone", "gone", 0, 0, 0},
        {"emb:v{dim}.x", "word2vec", "embed", "v8.x", "v{dim}.x (word2vec)", 0, 1, 0},
        {"sub:ko-sub", "word2vec", "embed", "ko-sub", "ko-sub (word2vec, subwords)", 0, 0, 0},
        {"sub:ko-sub:frozen", "word2vec", "embed", "ko-sub", "ko-sub (word2vec, subwords, frozen)", 1, 0, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Experiment c;
        char label[256];
        assert_string_equal(round_trip(cases[i].text, cases[i].trainer, &c, label, sizeof label), cases[i].label);
        char in[16];
        assert_string_equal(experiment_text(&c, "input", in, sizeof in), cases[i].input);
        assert_string_equal(c.embedding, cases[i].embedding);
        assert_int_equal(c.model.freeze, cases[i].freeze);
        InputChoice ch;
        assert_int_equal(input_kind_parse(cases[i].text, &ch), 0);
        assert_int_equal(input_kind_per_dim(&ch), cases[i].per_dim);
        assert_int_equal(ch.kind->style, cases[i].style);
    }
    /* Every row of the table parses to itself (stored rows through a name). */
    for (int i = 0; i < input_kinds_n; i++) {
        InputChoice ch;
        const char *text = input_kinds[i].name;
        char name[64];
        if (input_kinds[i].source == EMB_STORED)
            snprintf(name, sizeof name, "%.*sx%s", (int)(strchr(text, ':') - text + 1), text,
                     input_kinds[i].freeze ? ":frozen" : ""),
                text = name;
        assert_int_equal(input_kind_parse(text, &ch), 0);
        assert_ptr_equal(ch.kind, &input_kinds[i]);
        if (input_kinds[i].source == EMB_TRAINED)
            assert_non_null(trainer_find(input_kinds[i].trainer)); /* its trainer is registered */
    }
}

/* A sweep's --freeze, given once, freezes every point: each records the
 * frozen kind, which labels it as it is. */
static void fixed_freeze(void **state) {
    (void)state;
    const char *given[] = {"word2vec", "word2vec-frozen", "emb:x", "emb:x:frozen"};
    const char *want[] = {"word2vec-frozen", "word2vec-frozen", "emb:x:frozen", "emb:x:frozen"};
    for (int i = 0; i < 4; i++) {
        Experiment c;
        experiment_defaults(&c);
        assert_int_equal(experiment_set(&c, "freeze", "1"), 0);
        InputChoice ch;
        assert_int_equal(input_kind_parse(given[i], &ch), 0);
        assert_int_equal(input_kind_apply(&ch, given[i], 8, "sweep-emb-8", &c), 0);
        assert_string_equal(c.input_kind, want[i]);
        assert_int_equal(c.model.freeze, 1);
    }
}

/* A configuration made without a kind (train) gets the kind its settings
 * make, and that kind applies back to the same settings. */
static void kind_of_config(void **state) {
    (void)state;
    const char *settings[][3] = {
        {"onehot", "random", "0"}, {"embed", "random", "0"}, {"embed", "imdb", "0"}, {"embed", "imdb", "1"}};
    const char *want[] = {"onehot", "random", "emb:imdb", "emb:imdb:frozen"};
    for (int i = 0; i < 4; i++) {
        Experiment c, back;
        experiment_defaults(&c);
        assert_int_equal(experiment_set(&c, "input", settings[i][0]), 0);
        assert_int_equal(experiment_set(&c, "embedding", settings[i][1]), 0);
        assert_int_equal(experiment_set(&c, "freeze", settings[i][2]), 0);
        char kind[300];
        assert_string_equal(input_kind_of(&c, kind, sizeof kind), want[i]);
        char label[256];
        round_trip(kind, NULL, &back, label, sizeof label);
        assert_int_equal(back.model.input, c.model.input);
        assert_string_equal(back.embedding, c.embedding);
        assert_int_equal(back.model.freeze, c.model.freeze);
    }
}

/* A row's tag goes into a stored kind's label: the subword input's rows say
 * "subwords"; they set --subwords on (the emb: rows off), and a configuration
 * with subword input is of the sub: kind. */
static void stored_tag(void **state) {
    (void)state;
    InputChoice ch;
    assert_int_equal(input_kind_parse("sub:ko-sub:frozen", &ch), 0);
    assert_string_equal(ch.embedding, "ko-sub");
    Experiment c;
    experiment_defaults(&c);
    assert_int_equal(input_kind_apply(&ch, "sub:ko-sub:frozen", 16, NULL, &c), 0);
    assert_int_equal(c.model.subwords, SUBWORDS_ON);
    assert_int_equal(c.model.freeze, 1);
    char kind[300];
    assert_string_equal(input_kind_of(&c, kind, sizeof kind), "sub:ko-sub:frozen");
    InputChoice plain;
    assert_int_equal(input_kind_parse("emb:ko-sub", &plain), 0);
    experiment_defaults(&c);
    assert_int_equal(input_kind_apply(&plain, "emb:ko-sub", 16, NULL, &c), 0);
    assert_int_equal(c.model.subwords, SUBWORDS_OFF);
    assert_string_equal(input_kind_of(&c, kind, sizeof kind), "emb:ko-sub");
    char label[128];
    assert_string_equal(input_kind_label(&ch, "word2vec", label, sizeof label), "ko-sub (word2vec, subwords, frozen)");
    assert_string_equal(input_kind_label(&ch, NULL, label, sizeof label), "ko-sub (subwords, frozen)");
    char tiny[8]; /* cut, never overrun */
    assert_string_equal(input_kind_label(&ch, "word2vec", tiny, sizeof tiny), "ko-sub ");
}

static void bad_kinds(void **state) {
    (void)state;
    static const char *bad[][2] = {
        {"glove", "unknown input 'glove' (onehot, random, word2vec, word2vec-frozen, emb:NAME, emb:NAME:frozen, "
                  "sub:NAME, sub:NAME:frozen)"},
        {"emb:", "unknown input 'emb:'"},
        {"emb:a/b", "input 'emb:a/b': "},
        {"emb::frozen", "input 'emb::frozen': "},
        {"emb:NAME", NULL}, /* a valid name, oddly spelt */
        {"Word2vec", "unknown input"},
        {"emb:x:frozen:frozen", "input 'emb:x:frozen:frozen'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        InputChoice ch;
        int rc = input_kind_parse(bad[i][0], &ch);
        if (!bad[i][1]) {
            assert_int_equal(rc, 0);
            continue;
        }
        assert_int_equal(rc, -1);
        if (!strstr(el_error(), bad[i][1]))
            fail_msg("'%s': got '%s'", bad[i][0], el_error());
    }
    char longname[200];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    memcpy(longname, "emb:", 4);
    InputChoice ch;
    assert_int_equal(input_kind_parse(longname, &ch), -1);
}

static void trainer_registry(void **state) {
    (void)state;
    const EmbedTrainer *t = trainer_find("word2vec");
    assert_non_null(t);
    assert_null(trainer_find("glove"));
    assert_string_equal(trainer_names(), "word2vec");
    void *params = calloc(1, t->params_size);
    assert_int_equal(trainer_defaults(t, params, 12), 0);
    int threads = 0;
    assert_int_equal(trainer_options(t, "--window 3 --threads 2", params, &threads), 0);
    assert_int_equal(threads, 2);
    char what[128];
    t->describe(params, what, sizeof what);
    assert_string_equal(what, "sg, ns, dim 12");
    assert_int_equal(trainer_options(t, "--windoww 3", params, &threads), -1);
    assert_non_null(strstr(el_error(), "--embed-options: bad or unknown option --windoww '3'"));
    assert_int_equal(trainer_options(t, "--negative 0", params, &threads), -1);
    assert_non_null(strstr(el_error(), "--loss ns needs --negative of 1 or more"));
    free(params);
}

static void source_registry(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4200];
    free(fixture_text(dir, "aclImdb/train/pos/1_9.txt", "great film"));
    free(fixture_text(dir, "aclImdb/train/neg/2_1.txt", "awful"));
    free(fixture_text(dir, "aclImdb/test/pos/3_8.txt", "loved it"));
    free(fixture_text(dir, "aclImdb/test/neg/4_2.txt", "boring"));
    free(fixture_text(dir, "train.tsv", "1\tgreat film\n0\tawful\n"));
    free(fixture_text(dir, "test.tsv", "1\tloved it\n"));
    free(fixture_text(dir, "empty/notes.txt", "not reviews"));
    snprintf(path, sizeof path, "%s/aclImdb", dir);
    const DataSource *s = source_find(path);
    assert_non_null(s);
    assert_string_equal(s->name, "aclimdb");
    Corpus c;
    corpus_init(&c);
    assert_int_equal(source_read(&c, path, NULL, SPLITS_ALL), 0);
    assert_int_equal(c.ndocs, 4);
    assert_int_equal(corpus_count_docs(&c, SPLIT_MASK(SPLIT_TEST)), 2);
    char tsv[4200], test[4200];
    snprintf(tsv, sizeof tsv, "%s/train.tsv", dir);
    snprintf(test, sizeof test, "%s/test.tsv", dir);
    /* A folder takes no --test-data: the file kind does. */
    assert_int_equal(source_read(&c, path, test, SPLITS_ALL), -1);
    assert_non_null(strstr(el_error(), "--test-data goes with a LABEL<TAB>TEXT file"));
    corpus_free(&c);
    assert_string_equal(source_find(tsv)->name, "tsv");
    corpus_init(&c);
    assert_int_equal(source_read(&c, tsv, test, SPLITS_ALL), 0);
    assert_int_equal(corpus_count_docs(&c, SPLIT_MASK(SPLIT_TRAIN)), 2);
    assert_int_equal(corpus_count_docs(&c, SPLIT_MASK(SPLIT_TEST)), 1);
    /* A bad test file leaves the corpus as it was. */
    size_t ndocs = c.ndocs;
    assert_int_equal(source_read(&c, tsv, path, SPLITS_ALL), -1);
    assert_int_equal(c.ndocs, ndocs);
    corpus_free(&c);
    /* Neither kind: a folder without train/ or test/, and no path at all. */
    snprintf(path, sizeof path, "%s/empty", dir);
    assert_null(source_find(path));
    if (!strstr(el_error(), "empty is neither an aclImdb folder (train/ and test/, each with neg/ and pos/) nor a "
                            "LABEL<TAB>TEXT file"))
        fail_msg("got '%s'", el_error());
    corpus_init(&c);
    assert_int_equal(source_read(&c, path, NULL, SPLITS_ALL), -1);
    snprintf(path, sizeof path, "%s/nothing", dir);
    assert_int_equal(source_read(&c, path, NULL, SPLITS_ALL), -1);
    assert_non_null(strstr(el_error(), "no data at"));
    assert_int_equal(c.ndocs, 0);
    corpus_free(&c);
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_round_trips), cmocka_unit_test(kind_of_config), cmocka_unit_test(fixed_freeze),
        cmocka_unit_test(stored_tag),        cmocka_unit_test(bad_kinds),      cmocka_unit_test(trainer_registry),
        cmocka_unit_test(source_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
