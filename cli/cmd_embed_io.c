/* cli/cmd_embed_io.c: "embedlab embed export|import": word2vec files out and in. */
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
