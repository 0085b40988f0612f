/* embed/data/source.h: where reviews come from, behind one call.
 *
 * A data source kind is one DataSource in embed/data/source.c's registry: a name,
 * what it looks like (for messages), a detect function that tells from the
 * path alone (its type and names, not its contents) whether it is one, and a
 * read function that loads it into a Corpus with embed/data/corpus.h's readers.
 * Every command that reads reviews goes through source_read.
 *
 *   aclimdb  a folder with train/ and/or test/, each with neg/ and pos/
 *            holding ID_RATING.txt files (corpus_load_imdb)
 *   tsv      a LABEL<TAB>TEXT file as the train split, with an optional
 *            second one as the test split (corpus_load_tsv)
 *
 *   source_find  the kind of a path
 *   source_read  a path (and a test path) into a corpus, by its kind
 *   source_train_tokenizer  a learned tokenizer trained on a source's train split */
#ifndef EL_SOURCE_H
#define EL_SOURCE_H

#include "embed/data/corpus.h"

typedef struct {
    const char *name; /* "aclimdb", "tsv" */
    const char *what; /* for messages: "an aclImdb folder (...)" */
    int test_file;    /* takes a second path as the test split (--test-data) */
    /* 1 if path (which exists) is of this kind, else 0. */
    int (*detect)(const char *path);
    /* The splits of split_mask from path (and test_path when test_file and
     * not NULL) into c: 0, or -1 with a message and c unchanged. */
    int (*read)(Corpus *c, const char *path, const char *test_path, unsigned split_mask);
} DataSource;

/* The first kind in the registry whose detect accepts path; NULL with a
 * message when path does not exist or is of no kind. */
const DataSource *source_find(const char *path);

/* The data a user names: data read by its kind (source_find), test_data (NULL
 * or empty: none) as the test split of a kind that takes one. 0, or -1 with a
 * message. */
int source_read(Corpus *c, const char *data, const char *test_data, unsigned split_mask);

/* Trains t, a learned tokenizer that is not ready yet, on the train split of
 * data (as source_read reads it; as plain lines when lines is 1): never
 * the test split. A fixed or ready t is left as it is. 0, or -1 with a
 * message. */
int source_train_tokenizer(Tokenizer *t, const char *data, int lines);

#endif
