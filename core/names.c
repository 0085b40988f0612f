/* core/names.c: the one definition of what a name may be. */
#include "core/names.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/escape.h"

static int is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static int name_char(char c) { return is_alnum(c) || c == '.' || c == '_' || c == '+' || c == '-'; }

int name_check(const char *kind, const char *name) {
    size_t n = strlen(name), i = 0;
    while (i < n && name_char(name[i]))
        i++;
    if (n >= 1 && n <= NAME_MAX_LEN && i == n && is_alnum(name[0]))
        return 0;
    /* The name as a message can show it: no control characters, not too long. */
    char *shown = esc_line(name);
    el_fail("%s name '%.80s%s' is not allowed: a name is 1 to %d characters of letters, digits and . _ + -, "
            "starting with a letter or digit",
            kind, shown, strlen(shown) > 80 ? "..." : "", NAME_MAX_LEN);
    free(shown);
    return -1;
}

void name_fix(char *s) {
    char *from = s, *to = s;
    while (*from && !is_alnum(*from))
        from++;
    for (; *from && to - s < NAME_MAX_LEN; from++)
        *to++ = name_char(*from) ? *from : '_';
    if (to == s)
        *to++ = 'x';
    *to = 0;
}
