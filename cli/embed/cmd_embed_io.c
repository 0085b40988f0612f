/* cli/embed/cmd_embed_io.c: "embedlab embed export|import": word2vec files out and in. */
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
    "Writes word2vec's own format (what gensim's KeyedVectors.load_word2vec_format reads).\n\n";
static const char import_help[] = "Usage: embedlab embed import --name NAME [--format text|binary] FILE\n\n"
                                  "NAME: 1-64 of A-Z a-z 0-9 . _ + -, starting with a letter or digit.\n"
                                  "Reads word2vec's text or binary format (what gensim's save_word2vec_format writes)\n"
                                  "into the lab database in one transaction; a malformed file is rejected with its\n"
                                  "line or byte offset and the database is left unchanged.\n\n";

/* Export names the embedding with --embedding, import with --name; each
 * takes both, as it always has. */
typedef struct {
    const char *embedding, *name;
    int format; /* the index in format_names */
} IoArgs;

static const char *const format_names[] = {"text", "binary", NULL};
enum { FORMAT_TEXT, FORMAT_BINARY };

#define AT(member) OPTION_AT(IoArgs, member)
static const Option io_fields[] = {
    {"embedding", OPTION_STRING, AT(embedding), NULL, 0, 0, NULL, NULL, "NAME", "Options", "the embedding", 0},
    {"name", OPTION_STRING, AT(name), NULL, 0, 0, NULL, NULL, "NAME", "Options", "the embedding (the same)", 0},
    {"format", OPTION_ENUM, AT(format), "binary", 0, 0, format_names, NULL, NULL, "Options",
     "word2vec's text or binary format", 0},
};
static const OptionTable io_options = {io_fields, (int)(sizeof io_fields / sizeof *io_fields)};

static int embed_io(int argc, char **argv, int import) {
    const char *cmd = import ? "embedlab embed import" : "embedlab embed export";
    CommonOpts co;
    IoArgs a;
    int r = cli_parse(cmd, import ? import_help : export_help, &io_options, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    const char *name = a.name ? a.name : a.embedding;
    int binary = a.format == FORMAT_BINARY;
    if (!name)
        return cli_usage(cmd, import ? "--name NAME is required" : "--embedding NAME is required");
    if (argc - optind != 1)
        return cli_usage(cmd, "give exactly one FILE");
    if (import && name_check("embedding", name) != 0)
        return cli_usage(cmd, "%s", el_error());
    const char *file = argv[optind];
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
