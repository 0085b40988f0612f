/* cli/entry.c: the program's entry point, apart from the CLI (cli/main.c's
 * embedlab_main) so that a test build can run the same CLI after
 * registering test-only extensions (tests/toys/toys_main.c). */
#include "cli/cli.h"

int main(int argc, char **argv) { return embedlab_main(argc, argv); }
