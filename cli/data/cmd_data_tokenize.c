/* cli/data/cmd_data_tokenize.c: "embedlab data tokenize". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/text/tokenizer.h"
#include "experiments/run/saved_run.h"

static const char tokenize_help[] =
    "Usage: embedlab data tokenize [--tokenizer SPEC [--data FILE] | --embedding NAME | --run ID]\n"
    "                              [--db PATH] [--] [TEXT ...]\n\n"
    "Prints the tokens of each TEXT argument (or of each line of stdin), space-separated,\n"
    "one line per input, and on stderr how many invalid UTF-8 sequences it met. The options\n"
    "come first: what follows the first TEXT, or --, is text (\"-5 stars\" too).\n\n";

typedef struct {
    const char *tokenizer; /* NULL until given: --tokenizer words with --embedding is refused too */
    const char *data, *embedding;
    int64_t run;
} TokenizeArgs;

#define AT(member) OPTION_AT(TokenizeArgs, member)
static const Option tokenize_fields[] = {
    {"tokenizer", OPTION_STRING, AT(tokenizer), NULL, 0, 0, NULL, NULL, "SPEC", "Options",
     "words (default: the words text spec), unicode (NFKC, case folding, Unicode word boundaries), chars (one "
     "token per character) or spm[:unigram|bpe[:N]] (SentencePiece, N pieces, default unigram:8000)",
     0},
    /* Its own --data, in place of the common one: the texts spm learns from. */
    {"data", OPTION_STRING, AT(data), NULL, 0, 0, NULL, NULL, "FILE", "Options",
     "the texts spm trains on: LABEL<TAB>TEXT lines (or plain lines)", 0},
    {"embedding", OPTION_STRING, AT(embedding), NULL, 0, 0, NULL, NULL, "NAME", "Options",
     "the tokenizer embedding NAME was trained with (a learned one's model as stored in the lab database)", 0},
    {"run", OPTION_INT64, AT(run), NULL, 1, 1099511627776.0, NULL, NULL, "ID", "Options",
     "the tokenizer of classifier run ID, likewise", 0},
};
static const OptionTable tokenize_options = {tokenize_fields, (int)(sizeof tokenize_fields / sizeof *tokenize_fields)};

typedef struct {
    const char *p, *end;
} Lines;

/* The texts of a LABEL<TAB>TEXT file, one per line (the whole line if it has no tab). */
static int next_line(void *ctx, const char **text, size_t *n) {
    Lines *l = ctx;
    if (l->p >= l->end)
        return 0;
    const char *nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
    const char *eol = nl ? nl : l->end;
    const char *tab = memchr(l->p, '\t', (size_t)(eol - l->p));
    *text = tab ? tab + 1 : l->p;
    *n = (size_t)(eol - *text);
    l->p = eol + 1;
    return 1;
}

/* getline() bounded by EL_MAX_LINE: the line's length (line end included),
 * -1 at the end of input, -2 when a line passes the bound (stdin from
 * /dev/zero would otherwise grow one line until memory runs out). */
static ssize_t bounded_line(char **line, size_t *cap, FILE *f) {
    size_t n = 0;
    int ch = EOF;
    while (n <= EL_MAX_LINE && (ch = getc_unlocked(f)) != EOF) {
        if (n + 2 > *cap)
            *line = xrealloc(*line, *cap = *cap ? *cap * 2 : 4096);
        (*line)[n++] = (char)ch;
        if (ch == '\n')
            break;
    }
    if (n > EL_MAX_LINE)
        return -2;
    if (n == 0)
        return -1;
    (*line)[n] = 0;
    return (ssize_t)n;
}

/* Prints the tokens of text[0..n); returns the invalid UTF-8 sequences met. */
static size_t print_tokens(const Tokenizer *t, const char *text, size_t n, TokenBuf *b) {
    tokenizer_tokens(t, text, n, b); /* cannot fail: t is ready */
    puts(b->text);
    return b->invalid;
}

/* The tokenizer stored with embedding `name` or run `run` (one of them), from
 * the lab database at path: 0, or -1 with a message. */
static int stored_tokenizer(const char *path, const char *name, int64_t run, Tokenizer **t) {
    sqlite3 *db;
    if (lab_open_existing(lab_path(path), &db) != 0)
        return -1;
    int rc;
    if (name) {
        rc = db_embedding_tokenizer(db, name, t, NULL);
    } else {
        SavedRun sr;
        rc = saved_run_load(db, run, &sr);
        if (rc == 0) {
            *t = sr.tok; /* taken from the run */
            sr.tok = NULL;
            saved_run_free(&sr);
        }
    }
    lab_close(db);
    return rc;
}

int cmd_data_tokenize(int argc, char **argv) {
    const char *cmd = "embedlab data tokenize";
    CommonOpts co;
    TokenizeArgs a;
    int r = cli_parse_texts(cmd, tokenize_help, &tokenize_options, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    const char *spec = a.tokenizer, *data = a.data, *name = a.embedding;
    int64_t run = a.run;
    int i = optind;
    Tokenizer *t;
    if (name || run) {
        if ((name && run) || data || spec)
            return cli_usage(cmd,
                             "--embedding and --run name a stored tokenizer: no --run, --tokenizer or --data with it");
        if (stored_tokenizer(co.db, name, run, &t) != 0)
            return cli_failed();
        data = NULL;
    } else if (tokenizer_new(spec ? spec : "words", &t) != 0) {
        return cli_usage(cmd, "%s", el_error());
    }
    if (!name && !run && tokenizer_learned(t) != (data != NULL)) {
        tokenizer_free(t);
        return data ? cli_usage(cmd, "--data is for a learned tokenizer (spm)")
                    : cli_usage(cmd, "tokenizer %s learns from texts: give them with --data FILE", spec);
    }
    if (data) {
        char *file;
        size_t len;
        if (read_text_file(data, &file, &len) != 0) {
            tokenizer_free(t);
            return cli_failed();
        }
        Lines lines = {file, file + len};
        int rc = tokenizer_train(t, &(TextIter){next_line, &lines});
        free(file);
        if (rc != 0) {
            tokenizer_free(t);
            return cli_failed();
        }
    }
    TokenBuf b;
    tokbuf_init(&b);
    size_t invalid = 0;
    if (i < argc) {
        for (; i < argc; i++)
            invalid += print_tokens(t, argv[i], strlen(argv[i]), &b);
    } else {
        char *line = NULL;
        size_t cap = 0, lineno = 0;
        ssize_t n;
        while (!ferror(stdout) && (n = bounded_line(&line, &cap, stdin)) >= 0) {
            lineno++;
            invalid += print_tokens(t, line, (size_t)n, &b);
        }
        free(line);
        if (n == -2) {
            tokbuf_free(&b);
            tokenizer_free(t);
            el_fail("stdin:%zu: line longer than %zu MiB", lineno + 1, EL_MAX_LINE >> 20);
            return cli_failed();
        }
    }
    if (invalid)
        fprintf(stderr, "embedlab: %zu invalid UTF-8 sequence%s in the input\n", invalid, invalid == 1 ? "" : "s");
    tokbuf_free(&b);
    tokenizer_free(t);
    return 0;
}
