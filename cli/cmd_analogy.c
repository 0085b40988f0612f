/* cli/cmd_analogy.c: "embedlab analogy" (the search: cli/word_query.c). */
#include "cli/cli.h"

static const char analogy_help[] =
    "Usage: embedlab analogy --embedding NAME A B C [-k N]\n\n"
    "A is to B as C is to ...: the words nearest to B - A + C (unit vectors), the three\n"
    "inputs excluded. Example: embedlab analogy --embedding NAME man king woman\n"
    "With a --subwords embedding, a word not in its vocabulary gets the mean vector of\n"
    "its character n-grams. Words are looked up and the nearest-word index is used as by\n"
    "'embedlab nearest'.\n\n"
    "  --embedding NAME   an embedding in the lab database\n"
    "  -k N               how many answers (default 5)\n"
    "  --exact            scan every vector, even when there is an index\n"
    "  --time             as for 'embedlab nearest'\n\n" COMMON_HELP;

int cmd_analogy(int argc, char **argv) { return cli_word_query(argc, argv, 1, analogy_help); }
