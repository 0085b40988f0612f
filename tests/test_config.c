/* tests/test_config.c: the run configuration's table (rnn/config.c with
 * experiments/run/experiment.c's fields): defaults,
 * parsing and its errors per type, option names, --help, and the JSON stored
 * in runs.config read back to the same config (experiments/run/run_record.c). */
#include "tests/fixtures.h"

#include "core/common.h"
#include "db/lab.h"
#include "experiments/run/run_record.h"
#include "rnn/cell.h"
#include "rnn/config.h"

static void defaults(void **state) {
    (void)state;
    Experiment c;
    experiment_defaults(&c);
    assert_string_equal(cell_name_at(c.model.cell), "rnn");
    assert_int_equal(c.model.activation, ACT_TANH);
    assert_int_equal(c.model.input, INPUT_EMBED);
    assert_string_equal(c.embedding, "random");
    assert_int_equal(c.model.pad, SIDE_PRE);
    assert_int_equal(c.model.opt, OPT_RMSPROP);
    assert_int_equal(c.model.dim, 16);
    assert_int_equal(c.model.units, 8);
    assert_int_equal(c.model.layers, 1);
    assert_int_equal(c.model.vocab, 500);
    assert_int_equal(c.model.maxlen, 100);
    assert_int_equal(c.model.batch, 64);
    assert_int_equal(c.model.epochs, 100);
    assert_int_equal(c.model.patience, 3);
    assert_int_equal(c.model.mask, 0);
    assert_int_equal(c.model.freeze, 0);
    assert_true(c.model.lr == 1e-4);
    assert_true(c.model.val_split == 0.2);
    assert_true(c.model.dropout == 0 && c.model.clip == 0);
    assert_int_equal(c.model.seed, 1);
    assert_string_equal(c.data, "");
}

/* experiment_set(name, text) fails with a message holding want, and leaves c as it was. */
static void refused(const char *name, const char *text, const char *want) {
    Experiment c, before;
    experiment_defaults(&c);
    before = c;
    assert_int_equal(experiment_set(&c, name, text), -1);
    if (!strstr(el_error(), want))
        fail_msg("experiment_set(%s, %s): '%s' lacks '%s'", name, text, el_error(), want);
    assert_memory_equal(&c, &before, sizeof c);
}

static void parse_errors(void **state) {
    (void)state;
    refused("units", "0", "--units must be a whole number from 1 to 4096, got '0'");
    refused("--units", "8x", "--units must be a whole number from 1 to 4096");
    refused("units", "", "whole number");
    refused("units", "99999999999999999999", "whole number");
    refused("layers", "9", "--layers must be a whole number from 1 to 8");
    refused("lr", "0", "--lr must be a number from 1e-12 to 100, got '0'");
    refused("recurrent_dropout", "1", "--recurrent-dropout must be a number from 0 to 0.99");
    refused("val_split", "nan", "--val-split must be a number");
    refused("seed", "-1", "--seed must be a whole number from 0");
    refused("mask", "yes", "--mask is on (1, true) or off (0, false)");
    refused("cell", "transformer", "unknown cell 'transformer' (known: rnn, lstm, gru)");
    refused("pad", "middle", "unknown pad 'middle' (known: pre, post)");
    refused("opt", "", "unknown opt ''");
    char big[2048];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    refused("embedding", big, "--embedding takes at most 255 bytes");
    refused("nosuch", "1", "unknown option 'nosuch'");
    refused("--val_split", "0.3", "unknown option"); /* options spell '_' as '-' */
}

static void parse_values(void **state) {
    (void)state;
    Experiment c;
    experiment_defaults(&c);
    assert_int_equal(experiment_set(&c, "--units", "4096"), 0);
    assert_int_equal(c.model.units, 4096);
    assert_int_equal(experiment_set(&c, "--recurrent-dropout", "0.5"), 0);
    assert_true(c.model.recurrent_dropout == 0.5);
    assert_int_equal(experiment_set(&c, "val_split", "0.3"), 0);
    assert_true(c.model.val_split == 0.3);
    assert_int_equal(experiment_set(&c, "seed", "9223372036854775807"), 0);
    assert_true(c.model.seed == 9223372036854775807ULL);
    assert_int_equal(experiment_set(&c, "mask", "true"), 0);
    assert_int_equal(c.model.mask, 1);
    assert_int_equal(experiment_set(&c, "--mask", "0"), 0);
    assert_int_equal(c.model.mask, 0);
    assert_int_equal(experiment_set(&c, "cell", "gru"), 0);
    assert_string_equal(cell_name_at(c.model.cell), "gru");
    /* Choices are enums named by the table: the optimisers', the sides'. */
    assert_int_equal(experiment_set(&c, "opt", "adam"), 0);
    assert_int_equal(c.model.opt, OPT_ADAM);
    assert_int_equal(experiment_set(&c, "opt", "adagrad"), -1);
    assert_non_null(strstr(el_error(), "unknown opt 'adagrad' (known: sgd, rmsprop, adam)"));
    assert_int_equal(experiment_set(&c, "--pad", "post"), 0);
    assert_int_equal(c.model.pad, SIDE_POST);
    assert_int_equal(experiment_set(&c, "--pad", "middle"), -1);
    assert_int_equal(c.model.pad, SIDE_POST);
    assert_int_equal(experiment_set(&c, "cell", "gru"), 0);
    assert_int_equal(experiment_set(&c, "embedding", "imdb-sg64"), 0);
    assert_string_equal(c.embedding, "imdb-sg64");
    /* The rules between fields. */
    assert_int_equal(experiment_check(&c), 0);
    assert_int_equal(experiment_set(&c, "input", "onehot"), 0);
    assert_int_equal(experiment_check(&c), -1);
    assert_non_null(strstr(el_error(), "--embedding goes with --input embed"));
    experiment_defaults(&c);
    c.model.freeze = 1;
    assert_int_equal(experiment_check(&c), -1);
    assert_non_null(strstr(el_error(), "--freeze needs --embedding NAME"));
    experiment_defaults(&c);
    assert_int_equal(experiment_set(&c, "bucket", "50"), 0);
    assert_int_equal(experiment_check(&c), -1);
    assert_non_null(strstr(el_error(), "--bucket needs --mask"));
    assert_int_equal(experiment_set(&c, "mask", "1"), 0);
    assert_int_equal(experiment_check(&c), 0);
}

static void option_names(void **state) {
    (void)state;
    char buf[64];
    const Option *f = experiment_find("recurrent_dropout");
    assert_non_null(f);
    assert_string_equal(opt_flag(f, buf, sizeof buf), "--recurrent-dropout");
    assert_ptr_equal(experiment_find("--recurrent-dropout"), f);
    assert_ptr_equal(experiment_find("--val-split"), experiment_find("val_split"));
    assert_null(experiment_find("--hidden"));
    /* Every field: its option maps back to it, its default is valid, and a
     * value formatted by opt_format reads back the same. */
    Experiment c, d;
    experiment_defaults(&c);
    for (int i = 0; i < experiment_table()->n; i++) {
        const Option *g = &experiment_table()->opts[i];
        assert_ptr_equal(experiment_find(opt_flag(g, buf, sizeof buf)), g);
        char text[1100];
        opt_format(&c, g, text, sizeof text);
        d = c;
        if (g->type != OPTION_TEXT || text[0]) /* an empty text is fine too */
            assert_int_equal(experiment_set(&d, g->name, text), 0);
        assert_memory_equal(&c, &d, sizeof c);
    }
}

static void help(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    snprintf(path, sizeof path, "%s/help.txt", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    config_help(f);
    fclose(f);
    size_t n;
    char *text = fixture_read(path, &n);
    assert_non_null(strstr(text, "Model:\n  --cell rnn|lstm|gru "));
    assert_non_null(strstr(text, "  --units N                  cell size (default 8)\n"));
    assert_non_null(strstr(text, "  --recurrent-dropout F "));
    assert_non_null(strstr(text, "  --mask "));
    assert_non_null(strstr(text, "Training:\n"));
    assert_null(strstr(text, "  --threads")); /* recorded, not an option of the table */
    assert_null(strstr(text, "--test-data"));
    free(text);
    fixture_rmtree(dir);
    free(dir);
}

/* run_start stores the config as JSON with today's keys and types; run_config
 * reads back the same config; unknown keys are ignored, nulls keep defaults. */
static void json_round_trip(void **state) {
    (void)state;
    char *dir = fixture_dir();
    sqlite3 *db;
    fixture_lab(dir, &db);
    Experiment c, back;
    experiment_defaults(&c);
    assert_int_equal(experiment_set(&c, "cell", "lstm"), 0);
    assert_int_equal(experiment_set(&c, "lr", "0.00123"), 0);
    assert_int_equal(experiment_set(&c, "seed", "9223372036854775807"), 0);
    assert_int_equal(experiment_set(&c, "mask", "1"), 0);
    assert_int_equal(experiment_set(&c, "embedding", "w\"2'v"), 0);
    assert_int_equal(experiment_set(&c, "data", "/tmp/a \"b\"\\c.tsv"), 0);
    assert_int_equal(experiment_set(&c, "data_hash", "0123456789abcdef"), 0);
    c.model.threads = 3;
    int64_t run;
    assert_int_equal(run_start(db, &c, 0, NULL, 0, &run), 0);
    assert_int_equal(run_config(db, run, &back), 0);
    assert_memory_equal(&c, &back, sizeof c);
    char *types = fixture_db_text(db, "SELECT group_concat(key || ':' || type, ' ') FROM runs, json_each(runs.config)");
    assert_string_equal(
        types, "cell:text activation:text input:text embedding:text dim:integer units:integer "
               "layers:integer pool:text bidirectional:false vocab:integer maxlen:integer pad:text truncate:text "
               "mask:true "
               "freeze:false subwords:text dropout:real recurrent_dropout:real opt:text lr:real clip:real "
               "batch:integer bucket:integer epochs:integer patience:integer val_split:real seed:integer "
               "threads:integer data:text test_data:null tokenizer:text input_kind:null data_hash:text");
    free(types);
    /* One-hot input has no embedding: its name and size are null. */
    experiment_defaults(&c);
    assert_int_equal(experiment_set(&c, "input", "onehot"), 0);
    assert_int_equal(run_start(db, &c, 0, NULL, 0, &run), 0);
    char *nulls = fixture_db_text(db, "SELECT json_type(config, '$.embedding') || json_type(config, '$.dim') || "
                                      "json_type(config, '$.subwords') FROM runs ORDER BY id DESC LIMIT 1");
    assert_string_equal(nulls, "nullnullnull");
    free(nulls);
    assert_int_equal(run_config(db, run, &back), 0);
    assert_memory_equal(&c, &back, sizeof c);
    /* A newer version's key is ignored; a bad value is an error naming it. */
    assert_int_equal(lab_exec(db, "UPDATE runs SET config = json_set(config, '$.future', 7) WHERE id = 2"), 0);
    assert_int_equal(run_config(db, 2, &back), 0);
    assert_int_equal(lab_exec(db, "UPDATE runs SET config = json_set(config, '$.units', 0) WHERE id = 2"), 0);
    assert_int_equal(run_config(db, 2, &back), -1);
    assert_non_null(strstr(el_error(), "units"));
    lab_close(db);
    fixture_rmtree(dir);
    free(dir);
}

/* The experiment's fields are no part of the model's table (rnn/ knows only
 * the model and its training); the run's table holds both, each row once,
 * the model's rows reading and writing Experiment.model. */
static void experiment_fields(void **state) {
    (void)state;
    const char *own[] = {"embedding", "data", "test_data", "tokenizer", "input_kind", "data_hash"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        assert_null(config_find(own[i]));
        assert_non_null(experiment_find(own[i]));
    }
    assert_int_equal(experiment_table()->n, config_table.n + (int)(sizeof own / sizeof *own));
    Experiment x;
    experiment_defaults(&x);
    assert_int_equal(experiment_set(&x, "units", "5"), 0);
    assert_int_equal(x.model.units, 5);
    assert_int_equal(experiment_set(&x, "tokenizer", "chars"), 0);
    assert_string_equal(x.tokenizer, "chars");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),          cmocka_unit_test(parse_errors), cmocka_unit_test(parse_values),
        cmocka_unit_test(option_names),      cmocka_unit_test(help),         cmocka_unit_test(json_round_trip),
        cmocka_unit_test(experiment_fields),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
