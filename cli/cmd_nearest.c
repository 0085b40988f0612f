/* cli/cmd_nearest.c: "embedlab nearest" (the search: cli/word_query.c). */
#include "cli/cli.h"

static const char nearest_help[] =
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
    "(stderr says so).\n\n"
    "  --embedding NAME   an embedding in the lab database ('embedlab embed list')\n"
    "  -k N               how many neighbours (default 10)\n"
    "  --exact            scan every vector, even when there is an index\n"
    "  --time             also print, on stderr, how long loading the vectors and the\n"
    "                     index took, their bytes, and the search time\n\n" COMMON_HELP;

int cmd_nearest(int argc, char **argv) { return cli_word_query(argc, argv, 0, nearest_help); }
