/* cli/embed/cmd_embed_list.c: "embedlab embed list": the stored embeddings. */
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

static const char list_help[] = "Usage: embedlab embed list [--db PATH]\n\n"
                                "Lists the embeddings in the lab database: name, words, dims, trainer, n-gram\n"
                                "lengths, tokenizer (its spec: words, unicode, chars, spm:unigram:8000 ...),\n"
                                "speed, date and source.\n";

int cmd_embed_list(int argc, char **argv) {
    CommonOpts co;
    int r = cli_simple_opts("embedlab embed list", list_help, argc, argv, &co, 0, 0);
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
               sqlite3_column_int(st, 2), lab_text(st, 4), lab_text(st, 8), tok, lab_text(st, 5), lab_text(st, 6),
               lab_text(st, 7), source);
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
