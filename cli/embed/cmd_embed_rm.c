/* cli/embed/cmd_embed_rm.c: "embedlab embed rm". */
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

static const char rm_help[] =
    "Usage: embedlab embed rm NAME [--db PATH]\n\nRemoves an embedding, its vectors and its n-gram rows, and its "
    "learned\n"
    "tokenizer's model (spm) when no other embedding or run uses it. An embedding that a\n"
    "subword-input run's stored model is completed from is kept until those runs are removed.\n";

int cmd_embed_rm(int argc, char **argv) {
    CommonOpts co;
    int r = cli_simple_opts("embedlab embed rm", rm_help, argc, argv, &co, 1, 1);
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
