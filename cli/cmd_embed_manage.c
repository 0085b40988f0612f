/* cli/cmd_embed_manage.c: "embedlab embed list|rm|eval|export|import": the stored
 * embeddings, their quality, and word2vec files in and out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/escape.h"
#include "core/names.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/evaluate.h"
#include "embed/w2v_format.h"

/* ---- embed list / rm ---- */

static const char list_help[] = "Usage: embedlab embed list [--db PATH]\n\n"
                                "Lists the embeddings in the lab database: name, words, dims, trainer, n-gram\n"
                                "lengths, tokenizer (its spec: words, unicode, chars, spm:unigram:8000 ...),\n"
                                "speed, date and source.\n";

static int simple_opts(const char *cmd, const char *help, int argc, char **argv, CommonOpts *co, int min_args,
                       int max_args) {
    static const struct option longopts[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    common_init(co);
    int opt;
    optind = 1;
    if ((opt = cli_next(cmd, help, argc, argv, longopts, co)) != CLI_END)
        return cli_status(opt); /* no options of its own */
    int nargs = argc - optind;
    if (nargs < min_args)
        return cli_usage(cmd, "missing argument");
    if (nargs > max_args)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind + max_args]);
    common_apply(co);
    return -1; /* go on */
}

int cmd_embed_list(int argc, char **argv) {
    CommonOpts co;
    int r = simple_opts("embedlab embed list", list_help, argc, argv, &co, 0, 0);
    if (r >= 0)
        return r;
    sqlite3 *db;
    if (lab_open_existing(lab_path(co.db), &db) != 0)
        return cli_failed();
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT name, vocab_size, dim, source, coalesce(json_extract(params, '$.model') || '/' || "
                    "json_extract(params, '$.loss'), '-'), coalesce(printf('%.0f', words_per_sec), '-'), "
                    "coalesce(printf('%.1f', seconds), '-'), created, coalesce(json_extract(params, '$.minn') || '-' "
                    "|| json_extract(params, '$.maxn'), '-'), tokenizer FROM embeddings ORDER BY id",
                    &st) != 0) {
        lab_close(db);
        return cli_failed();
    }
    printf("%-28s %8s %5s %-9s %-8s %-16s %10s %8s %-20s %s\n", "name", "words", "dim", "model", "subwords",
           "tokenizer", "words/s", "seconds", "created", "source");
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        /* Names and sources from the database: no control characters to the terminal. */
        char *name = esc_line((const char *)sqlite3_column_text(st, 0));
        char *source = esc_line((const char *)sqlite3_column_text(st, 3));
        const char *spec = (const char *)sqlite3_column_text(st, 9); /* NOT NULL since schema 7 */
        char *tok = esc_line(spec ? spec : "words");
        printf("%-28s %8d %5d %-9s %-8s %-16s %10s %8s %-20s %s\n", name, sqlite3_column_int(st, 1),
               sqlite3_column_int(st, 2), sqlite3_column_text(st, 4), sqlite3_column_text(st, 8), tok,
               sqlite3_column_text(st, 5), sqlite3_column_text(st, 6), sqlite3_column_text(st, 7), source);
        free(name);
        free(source);
        free(tok);
    }
    if (!rows)
        printf("(no embeddings yet: 'embedlab embed train' or 'embedlab embed import')\n");
    sqlite3_finalize(st);
    lab_close(db);
    return 0;
}

static const char rm_help[] =
    "Usage: embedlab embed rm NAME [--db PATH]\n\nRemoves an embedding, its vectors and its n-gram rows, and its "
    "learned\n"
    "tokenizer's model (spm) when no other embedding or run uses it. An embedding that a\n"
    "subword-input run's stored model is completed from is kept until those runs are removed.\n";

int cmd_embed_rm(int argc, char **argv) {
    CommonOpts co;
    int r = simple_opts("embedlab embed rm", rm_help, argc, argv, &co, 1, 1);
    if (r >= 0)
        return r;
    sqlite3 *db;
    if (lab_open_existing(lab_path(co.db), &db) != 0)
        return cli_failed();
    char dropped[128];
    int rc = db_embedding_remove(db, argv[optind], dropped, sizeof dropped);
    lab_close(db);
    if (rc != 0)
        return cli_failed();
    if (dropped[0])
        printf("Removed %s and its tokenizer model (%s), which nothing else uses\n", argv[optind], dropped);
    else
        printf("Removed %s\n", argv[optind]);
    return 0;
}

/* ---- embed eval ---- */

static const char eval_help[] =
    "Usage: embedlab embed eval --embedding NAME [--analogies FILE] [--restrict N] [--pairs FILE]\n\n"
    "  --analogies FILE   questions-words.txt format (': section' lines, then 'a b c d');\n"
    "                     word2vec's conventions: lowercased, only questions whose four\n"
    "                     words are among the --restrict most frequent, inputs excluded\n"
    "  --restrict N       most frequent words searched and allowed (default 30000)\n"
    "  --pairs FILE       word-similarity file ('w1 w2 score', '#' comments): Spearman's rho;\n"
    "                     with a --subwords embedding, a word outside the vocabulary counts\n"
    "                     with its n-grams' vector (analogies keep to the vocabulary)\n\n" COMMON_HELP;

int cmd_embed_eval(int argc, char **argv) {
    const char *cmd = "embedlab embed eval";
    static const struct option longopts[] = {{"embedding", required_argument, 0, 'e'},
                                             {"analogies", required_argument, 0, 'a'},
                                             {"restrict", required_argument, 0, 'r'},
                                             {"pairs", required_argument, 0, 'p'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    const char *name = NULL, *analogies = NULL, *pairs = NULL;
    long restrict_n = 30000;
    int opt;
    optind = 1;
    while ((opt = cli_next(cmd, eval_help, argc, argv, longopts, &co)) >= 0) {
        switch (opt) {
        case 'e': name = optarg; break;
        case 'a': analogies = optarg; break;
        case 'p': pairs = optarg; break;
        case 'r':
            if (cli_int(cmd, "--restrict", optarg, 1, 1L << 30, &restrict_n))
                return 2;
            break;
        }
    }
    if (opt != CLI_END)
        return cli_status(opt);
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (!name)
        return cli_usage(cmd, "--embedding NAME is required");
    if (!analogies && !pairs)
        return cli_usage(cmd, "give --analogies FILE and/or --pairs FILE");
    common_apply(&co);
    Embedding e;
    sqlite3 *db;
    if (lab_open_existing(lab_path(co.db), &db) != 0)
        return cli_failed();
    int rc = db_embedding_load_subwords(db, name, &e, NULL);
    lab_close(db);
    if (rc != 0)
        return cli_failed();
    if (analogies) {
        AnalogyReport rep;
        rc = eval_analogies(&e, analogies, (int32_t)restrict_n, &rep);
        if (rc == 0) {
            printf("Analogies: %s on %s (restrict %ld)\n\n", name, analogies, restrict_n);
            printf("%-32s %8s %8s %9s\n", "section", "correct", "asked", "accuracy");
            for (int s = 0; s < rep.nsections; s++) {
                const AnalogySection *sec = &rep.sections[s];
                printf("%-32s %8d %8d %8.1f%%\n", sec->name, sec->correct, sec->asked,
                       sec->asked ? 100.0 * sec->correct / sec->asked : 0.0);
            }
            printf("\n%-32s %8d %8d %8.1f%%\n", "semantic", rep.correct[0], rep.asked[0],
                   rep.asked[0] ? 100.0 * rep.correct[0] / rep.asked[0] : 0.0);
            printf("%-32s %8d %8d %8.1f%%\n", "syntactic", rep.correct[1], rep.asked[1],
                   rep.asked[1] ? 100.0 * rep.correct[1] / rep.asked[1] : 0.0);
            int asked = rep.asked[0] + rep.asked[1], correct = rep.correct[0] + rep.correct[1];
            printf("%-32s %8d %8d %8.1f%%\n", "total", correct, asked, asked ? 100.0 * correct / asked : 0.0);
            printf("coverage: %d of %d questions (%.1f%%)\n", asked, rep.total,
                   rep.total ? 100.0 * asked / rep.total : 0.0);
            analogy_report_free(&rep);
        }
    }
    if (rc == 0 && pairs) {
        PairsReport rep;
        rc = eval_pairs(&e, pairs, &rep);
        if (rc == 0)
            printf("%sWord similarity: %s on %s\nSpearman rho %.4f over %d of %d pairs (coverage %.1f%%)\n",
                   analogies ? "\n" : "", name, pairs, rep.spearman, rep.used, rep.total,
                   rep.total ? 100.0 * rep.used / rep.total : 0.0);
        if (rc == 0 && e.minn > 0)
            printf("%d of them with a word not in the vocabulary, built from its n-grams\n", rep.from_ngrams);
    }
    emb_free(&e);
    return rc == 0 ? 0 : cli_failed();
}

/* ---- embed export / import ---- */

static const char export_help[] =
    "Usage: embedlab embed export --embedding NAME [--format text|binary] FILE\n\n"
    "Writes word2vec's own format (what gensim's KeyedVectors.load_word2vec_format reads).\n"
    "Default format: binary.\n\n" COMMON_HELP;
static const char import_help[] =
    "Usage: embedlab embed import --name NAME [--format text|binary] FILE\n\n"
    "NAME: 1-64 of A-Z a-z 0-9 . _ + -, starting with a letter or digit.\n"
    "Reads word2vec's text or binary format (what gensim's save_word2vec_format writes)\n"
    "into the lab database in one transaction; a malformed file is rejected with its\n"
    "line or byte offset and the database is left unchanged. Default format: binary.\n\n" COMMON_HELP;

static int embed_io(int argc, char **argv, int import) {
    const char *cmd = import ? "embedlab embed import" : "embedlab embed export";
    static const struct option longopts[] = {{"embedding", required_argument, 0, 'e'},
                                             {"name", required_argument, 0, 'n'},
                                             {"format", required_argument, 0, 'f'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    const char *name = NULL;
    int binary = 1;
    int opt;
    optind = 1;
    while ((opt = cli_next(cmd, import ? import_help : export_help, argc, argv, longopts, &co)) >= 0) {
        switch (opt) {
        case 'e':
        case 'n': name = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "binary"))
                return cli_usage(cmd, "--format is text or binary");
            binary = strcmp(optarg, "binary") == 0;
            break;
        }
    }
    if (opt != CLI_END)
        return cli_status(opt);
    if (!name)
        return cli_usage(cmd, import ? "--name NAME is required" : "--embedding NAME is required");
    if (argc - optind != 1)
        return cli_usage(cmd, "give exactly one FILE");
    if (import && name_check("embedding", name) != 0)
        return cli_usage(cmd, "%s", el_error());
    const char *file = argv[optind];
    common_apply(&co);
    sqlite3 *db;
    if ((import ? lab_open : lab_open_existing)(lab_path(co.db), &db) != 0)
        return cli_failed();
    Embedding e;
    int rc;
    if (import) {
        rc = db_embedding_exists(db, name);
        if (rc > 0)
            rc = el_fail("an embedding named '%s' already exists (remove it with 'embedlab embed rm %s')", name, name);
        if (rc == 0)
            rc = w2v_read(file, binary, &e);
        if (rc == 0) {
            char source[4200];
            snprintf(source, sizeof source, "imported:%s", file);
            EmbeddingInfo info = {.params_json = "{}", .source = source, .corpus = NULL};
            rc = db_embedding_save(db, name, &info, &e, NULL);
            if (rc == 0)
                printf("Imported %s: %d words x %d dims from %s\n", name, e.n, e.dim, file);
            emb_free(&e);
            if (rc == 0)
                rc = cli_index_new_embedding(db, name);
        }
    } else {
        rc = db_embedding_load(db, name, &e, NULL);
        if (rc == 0) {
            rc = w2v_write(file, binary, &e);
            if (rc == 0)
                printf("Exported %s: %d words x %d dims to %s\n", name, e.n, e.dim, file);
            emb_free(&e);
        }
    }
    lab_close(db);
    return rc == 0 ? 0 : cli_failed();
}

int cmd_embed_export(int argc, char **argv) { return embed_io(argc, argv, 0); }
int cmd_embed_import(int argc, char **argv) { return embed_io(argc, argv, 1); }
