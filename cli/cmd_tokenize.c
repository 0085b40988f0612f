/* cli/cmd_tokenize.c: "embedlab data tokenize". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "embed/tokenizer.h"

static const char tokenize_help[] =
    "Usage: embedlab data tokenize [--tokenizer SPEC] [--data FILE] [--] [TEXT ...]\n\n"
    "Prints the tokens of each TEXT argument (or of each line of stdin), space-separated,\n"
    "one line per input, and on stderr how many invalid UTF-8 sequences it met.\n\n"
    "  --tokenizer SPEC   words (default: the words text spec), unicode (NFKC, case folding,\n"
    "                     Unicode word boundaries), chars (one token per character) or\n"
    "                     spm[:unigram|bpe[:N]] (SentencePiece, N pieces, default unigram:8000)\n"
    "  --data FILE        the texts spm trains on: LABEL<TAB>TEXT lines (or plain lines)\n";

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

/* Prints the tokens of text[0..n); returns the invalid UTF-8 sequences met. */
static size_t print_tokens(const Tokenizer *t, const char *text, size_t n, TokenBuf *b) {
    tokenizer_tokens(t, text, n, b); /* cannot fail: t is ready */
    puts(b->text);
    return b->invalid;
}

int cmd_data_tokenize(int argc, char **argv) {
    const char *cmd = "embedlab data tokenize", *spec = "words", *data = NULL;
    int i = 1;
    /* Options first; "-5 stars" is a text, as before there were options. */
    for (; i < argc && (strncmp(argv[i], "--", 2) == 0 || strcmp(argv[i], "-h") == 0); i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("%s", tokenize_help);
            return 0;
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--tokenizer") == 0 && i + 1 < argc) {
            spec = argv[++i];
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[++i];
        } else {
            return cli_usage(cmd, "unknown option '%s'", argv[i]);
        }
    }
    Tokenizer *t;
    if (tokenizer_new(spec, &t) != 0)
        return cli_usage(cmd, "%s", el_error());
    if (tokenizer_learned(t) != (data != NULL)) {
        tokenizer_free(t);
        return data ? cli_usage(cmd, "--data is for a learned tokenizer (spm)")
                    : cli_usage(cmd, "tokenizer %s learns from texts: give them with --data FILE", spec);
    }
    if (data) {
        char *file;
        size_t len;
        if (read_file(data, &file, &len) != 0) {
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
        size_t cap = 0;
        ssize_t n;
        while (!ferror(stdout) && (n = getline(&line, &cap, stdin)) >= 0)
            invalid += print_tokens(t, line, (size_t)n, &b);
        free(line);
    }
    if (invalid)
        fprintf(stderr, "embedlab: %zu invalid UTF-8 sequence%s in the input\n", invalid, invalid == 1 ? "" : "s");
    tokbuf_free(&b);
    tokenizer_free(t);
    return 0;
}
