/* cli/embed/cmd_analogy.c: "embedlab analogy" (the search: cli/embed/word_query.c). */
#include "cli/cli.h"

#define AT(member) OPTION_AT(WordQueryArgs, member)

static const char analogy_usage[] =
    "Usage: embedlab analogy --embedding NAME A B C [-k N]\n\n"
    "A is to B as C is to ...: the words nearest to B - A + C (unit vectors), the three\n"
    "inputs excluded. Example: embedlab analogy --embedding NAME man king woman\n"
    "With a --subwords embedding, a word not in its vocabulary gets the mean vector of\n"
    "its character n-grams. Words are looked up and the nearest-word index is used as by\n"
    "'embedlab nearest'.\n\n";

static const Option analogy_fields[] = {
    {"embedding", OPTION_STRING, AT(embedding), NULL, 0, 0, NULL, NULL, "NAME", "Options",
     "an embedding in the lab database ('embedlab embed list')", 0},
    {"k", OPTION_INT, AT(k), "5", 1, 100000, NULL, NULL, NULL, "Options", "how many answers", 0},
    {"exact", OPTION_FLAG, AT(exact), NULL, 0, 0, NULL, NULL, NULL, "Options",
     "scan every vector, even when there is an index", 0},
    {"time", OPTION_FLAG, AT(time), NULL, 0, 0, NULL, NULL, NULL, "Options", "as for 'embedlab nearest'", 0},
};
static const OptionTable analogy_options = {analogy_fields, (int)(sizeof analogy_fields / sizeof *analogy_fields)};

int cmd_analogy(int argc, char **argv) { return cli_word_query(argc, argv, 1, analogy_usage, &analogy_options); }
