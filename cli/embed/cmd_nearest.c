/* cli/embed/cmd_nearest.c: "embedlab nearest" (the search: cli/embed/word_query.c). */
#include "cli/cli.h"

#define AT(member) OPTION_AT(WordQueryArgs, member)

static const char nearest_usage[] =
    "Usage: embedlab nearest --embedding NAME WORD [-k N]\n\n"
    "Prints the N (default 10) words most cosine-similar to WORD, best first, WORD itself\n"
    "excluded. The same search runs in SQL: SELECT * FROM nearest('NAME', 'WORD', N)\n"
    "after '.load build/embedlab_sqlite' in the sqlite3 shell. With an embedding trained\n"
    "with --subwords, a WORD not in its vocabulary gets the mean vector of its character\n"
    "n-grams (stderr says so). A WORD not in the vocabulary as given is looked up as the\n"
    "embedding's tokenizer writes words ('Movie' as 'movie'; stderr says so).\n\n"
    "When the embedding has a nearest-word index ('embedlab embed index'), the search uses\n"
    "it: the same scores and order as exact search, with the recall the index measured\n"
    "(about 0.995 at 10), reading only the index and the unit vectors (a few large\n"
    "reads) when WORD is in the vocabulary; a stale or damaged index is rebuilt first\n"
    "(stderr says so).\n\n";

static const Option nearest_fields[] = {
    {"embedding", OPTION_STRING, AT(embedding), NULL, 0, 0, NULL, NULL, "NAME", "Options",
     "an embedding in the lab database ('embedlab embed list')", 0},
    {"k", OPTION_INT, AT(k), "10", 1, 100000, NULL, NULL, NULL, "Options", "how many neighbours", 0},
    {"exact", OPTION_FLAG, AT(exact), NULL, 0, 0, NULL, NULL, NULL, "Options",
     "scan every vector, even when there is an index", 0},
    {"time", OPTION_FLAG, AT(time), NULL, 0, 0, NULL, NULL, NULL, "Options",
     "also print, on stderr, how long loading the vectors and the index took, their bytes, and the search time", 0},
};
static const OptionTable nearest_options = {nearest_fields, (int)(sizeof nearest_fields / sizeof *nearest_fields)};

int cmd_nearest(int argc, char **argv) { return cli_word_query(argc, argv, 0, nearest_usage, &nearest_options); }
