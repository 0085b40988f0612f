/* cli/embed/cmd_embed_eval.c: "embedlab embed eval": analogy accuracy and word similarity. */
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

static const char eval_help[] =
    "Usage: embedlab embed eval --embedding NAME [--analogies FILE] [--restrict N] [--pairs FILE]\n\n"
    "Analogy accuracy with word2vec's conventions and word-similarity correlation.\n\n";

typedef struct {
    const char *embedding, *analogies, *pairs;
    int restrict_n;
} EvalArgs;

#define AT(member) OPTION_AT(EvalArgs, member)
static const Option eval_fields[] = {
    {"embedding", OPTION_STRING, AT(embedding), NULL, 0, 0, NULL, NULL, "NAME", "Options",
     "an embedding in the lab database", 0},
    {"analogies", OPTION_STRING, AT(analogies), NULL, 0, 0, NULL, NULL, "FILE", "Options",
     "questions-words.txt format (': section' lines, then 'a b c d'); word2vec's conventions: lowercased, only "
     "questions whose four words are among the --restrict most frequent, inputs excluded",
     0},
    {"restrict", OPTION_INT, AT(restrict_n), "30000", 1, 1 << 30, NULL, NULL, NULL, "Options",
     "most frequent words searched and allowed", 0},
    {"pairs", OPTION_STRING, AT(pairs), NULL, 0, 0, NULL, NULL, "FILE", "Options",
     "word-similarity file ('w1 w2 score', '#' comments): Spearman's rho; with a --subwords embedding, a word "
     "outside the vocabulary counts with its n-grams' vector (analogies keep to the vocabulary)",
     0},
};
static const OptionTable eval_options = {eval_fields, (int)(sizeof eval_fields / sizeof *eval_fields)};

int cmd_embed_eval(int argc, char **argv) {
    const char *cmd = "embedlab embed eval";
    CommonOpts co;
    EvalArgs a;
    int r = cli_parse(cmd, eval_help, &eval_options, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    const char *name = a.embedding, *analogies = a.analogies, *pairs = a.pairs;
    long restrict_n = a.restrict_n;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (!name)
        return cli_usage(cmd, "--embedding NAME is required");
    if (!analogies && !pairs)
        return cli_usage(cmd, "give --analogies FILE and/or --pairs FILE");
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
