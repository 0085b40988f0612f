/* core/outfile.c: write to a temp name, check everything, rename. */
#include "core/outfile.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/common.h"

int outfile_temp_name(const char *path, char *out, size_t cap) {
    int n = snprintf(out, cap, "%s.tmp.%d", path, (int)getpid());
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int outfile_open(OutFile *o, const char *path) {
    o->f = NULL;
    if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path ||
        outfile_temp_name(path, o->tmp, sizeof o->tmp) != 0)
        return el_fail("writing %.200s...: path too long", path);
    struct stat st;
    o->direct = lstat(path, &st) == 0 && !S_ISREG(st.st_mode);
    o->f = fopen(o->direct ? path : o->tmp, "wb");
    if (!o->f)
        return el_fail("writing %s: %s", path, strerror(errno));
    return 0;
}

int outfile_commit(OutFile *o) {
    if (!o->f)
        return el_fail("writing %s: not open", o->path);
    /* A write that failed before leaves the error flag; errno then still
     * holds its reason (a stream tries again at every full buffer, failing
     * the same way), else EIO stands in. */
    int err = 0, last = errno;
    if (fflush(o->f) != 0)
        err = errno;
    else if (ferror(o->f))
        err = last ? last : EIO;
    if (!err && !o->direct && fsync(fileno(o->f)) != 0)
        err = errno;
    if (fclose(o->f) != 0 && !err)
        err = errno ? errno : EIO;
    o->f = NULL;
    if (!err && !o->direct && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err) {
        if (!o->direct)
            unlink(o->tmp);
        return el_fail("writing %s: %s", o->path, strerror(err));
    }
    return 0;
}

void outfile_abort(OutFile *o) {
    if (!o || !o->f)
        return;
    fclose(o->f);
    o->f = NULL;
    if (!o->direct)
        unlink(o->tmp);
}
