/* tests/test_output.c: escaping for gnuplot, HTML and Markdown; the name
 * alphabet; output files that are whole or absent. */
#include "tests/fixtures.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>

#include "core/common.h"
#include "core/escape.h"
#include "core/names.h"
#include "core/outfile.h"

static void check(char *got, const char *want) {
    assert_string_equal(got, want);
    free(got);
}

/* Inside gnuplot's single quotes only '' is special; a newline would end the
 * command, so no control character may pass. */
static void gnuplot_strings(void **state) {
    (void)state;
    check(esc_gnuplot("plain"), "'plain'");
    check(esc_gnuplot(""), "''");
    check(esc_gnuplot("x'; system(\"touch pwned\"); print '"), "'x''; system(\"touch pwned\"); print '''");
    check(esc_gnuplot("a`touch pwned`b"), "'a`touch pwned`b'");
    check(esc_gnuplot("y\nsystem(\"touch pwned\")\r\n"), "'y?system(\"touch pwned\")?"
                                                         "?'");
    check(esc_gnuplot("tab\there\x7f\x1b[31m"), "'tab?here??[31m'");
    check(esc_gnuplot("back\\slash @macro $0"), "'back\\slash @macro $0'");
    check(esc_gnuplot("héllo ±"), "'héllo ±'");
    /* However many quotes, the literal stays one string: an even count inside. */
    char *q = esc_gnuplot("''''x'");
    size_t quotes = 0;
    for (char *p = q; *p; p++)
        quotes += *p == '\'';
    assert_int_equal(quotes, 2 + 2 * 5);
    assert_int_equal(q[0], '\'');
    assert_int_equal(q[strlen(q) - 1], '\'');
    free(q);
}

static void html_and_markdown(void **state) {
    (void)state;
    check(esc_html("<img src=x onerror=alert(2)>{dim}"), "&lt;img src=x onerror=alert(2)&gt;{dim}");
    check(esc_html("a & b \"c\" 'd'"), "a &amp; b &quot;c&quot; &#39;d&#39;");
    check(esc_html("line\nbreak"), "line?break");
    check(esc_markdown("a|b <i>"), "a&#124;b &lt;i&gt;");
    check(esc_markdown("row\n| x |"), "row?&#124; x &#124;");
    check(esc_line("one\ntwo\x1b"), "one?two?");
    check(esc_html("±é"), "±é");
}

static void names(void **state) {
    (void)state;
    const char *good[] = {"imdb-sg100", "a", "9", "glove.6B+100d", "x_y-z.1", NULL};
    for (int i = 0; good[i]; i++)
        assert_int_equal(name_check("embedding", good[i]), 0);
    char longest[NAME_MAX_LEN + 2];
    memset(longest, 'a', NAME_MAX_LEN);
    longest[NAME_MAX_LEN] = 0;
    assert_int_equal(name_check("embedding", longest), 0);
    longest[NAME_MAX_LEN] = 'a';
    longest[NAME_MAX_LEN + 1] = 0;
    assert_int_equal(name_check("embedding", longest), -1);
    const char *bad[] = {"",     "-x",   ".hidden",     "_x",  "a b", "x'y",    "x\"y", "a/b", "..",
                         "a\nb", "a`b`", "<img src=x>", "a;b", "é",   "x{dim}", "a$b",  NULL};
    for (int i = 0; bad[i]; i++) {
        el_clear_error();
        assert_int_equal(name_check("sweep", bad[i]), -1);
        assert_non_null(strstr(el_error(), "sweep name"));
        assert_non_null(strstr(el_error(), "letters, digits and . _ + -"));
        assert_null(strchr(el_error(), '\n')); /* the message shows the name without its control characters */
    }
    char s[128];
    snprintf(s, sizeof s, "%s", "../my corpus.txt-sg-ns-d8-s1");
    name_fix(s);
    assert_string_equal(s, "my_corpus.txt-sg-ns-d8-s1");
    assert_int_equal(name_check("embedding", s), 0);
    snprintf(s, sizeof s, "%s", "///");
    name_fix(s);
    assert_string_equal(s, "x");
    memset(s, 'b', 100);
    s[100] = 0;
    name_fix(s);
    assert_int_equal(strlen(s), NAME_MAX_LEN);
}

static int count_entries(const char *dir) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int n = -1;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

static void output_files(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    /* A whole file appears under its name, nothing else is left. */
    OutFile o;
    assert_int_equal(outfile_open(&o, path), 0);
    fprintf(o.f, "hello\n");
    assert_int_equal(outfile_commit(&o), 0);
    size_t len;
    char *got = fixture_read(path, &len);
    assert_string_equal(got, "hello\n");
    free(got);
    assert_int_equal(count_entries(dir), 1);
    /* An abandoned one leaves the old file as it was. */
    assert_int_equal(outfile_open(&o, path), 0);
    fprintf(o.f, "half");
    outfile_abort(&o);
    got = fixture_read(path, &len);
    assert_string_equal(got, "hello\n");
    free(got);
    assert_int_equal(count_entries(dir), 1);
    /* A write past the file-size limit fails the commit, with its reason,
     * and neither a temp file nor a truncated PATH is left. */
    struct rlimit old, small = {.rlim_cur = 4096, .rlim_max = RLIM_INFINITY};
    getrlimit(RLIMIT_FSIZE, &old);
    small.rlim_max = old.rlim_max;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    snprintf(path, sizeof path, "%s/big.txt", dir);
    assert_int_equal(outfile_open(&o, path), 0);
    for (int i = 0; i < 10000; i++)
        fprintf(o.f, "line %d\n", i);
    el_clear_error();
    assert_int_equal(outfile_commit(&o), -1);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_non_null(strstr(el_error(), "writing "));
    assert_non_null(strstr(el_error(), strerror(EFBIG)));
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(count_entries(dir), 1);
    /* A folder that does not exist: an error, nothing made. */
    snprintf(path, sizeof path, "%s/nowhere/x.txt", dir);
    assert_int_equal(outfile_open(&o, path), -1);
    assert_non_null(strstr(el_error(), "writing "));
    assert_int_equal(count_entries(dir), 1);
    /* A device or a link is written in place: the link stays a link, and
     * /dev/full's error is still an error. */
    char target[4096];
    snprintf(target, sizeof target, "%s/target.txt", dir);
    snprintf(path, sizeof path, "%s/link.txt", dir);
    assert_int_equal(symlink("target.txt", path), 0);
    assert_int_equal(outfile_open(&o, path), 0);
    fprintf(o.f, "through the link\n");
    assert_int_equal(outfile_commit(&o), 0);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    got = fixture_read(target, &len);
    assert_string_equal(got, "through the link\n");
    free(got);
    assert_int_equal(outfile_open(&o, "/dev/null"), 0);
    fprintf(o.f, "nothing\n");
    assert_int_equal(outfile_commit(&o), 0);
    assert_int_equal(outfile_open(&o, "/dev/full"), 0);
    fprintf(o.f, "too much\n");
    assert_int_equal(outfile_commit(&o), -1);
    assert_string_equal(el_error(), "writing /dev/full: No space left on device");
    assert_int_equal(lstat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gnuplot_strings),
        cmocka_unit_test(html_and_markdown),
        cmocka_unit_test(names),
        cmocka_unit_test(output_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
