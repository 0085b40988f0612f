/* fuzz/scratch.h: files for fuzz targets whose code under test reads paths.
 *
 *   scratch_memfile  the input as an in-memory file (memfd), named by a
 *                    /proc/self/fd path: no disk, nothing left behind
 *   scratch_dir      a fresh folder under $TMPDIR (or /dev/shm, or /tmp), and
 *   scratch_rmtree   its removal, so a target never writes in the repository
 *   scratch_write    a file in it, its folders made on the way
 *   scratch_remove   the files and folders a target made there, and the
 *                    folder: cheaper than scratch_rmtree's walk
 * /dev/shm first: it is memory (tmpfs), so the files a target makes for every
 * input, and SQLite's syncs of them, cost no disk writes; on a disk they were
 * most of some targets' time. */
#ifndef EL_FUZZ_SCRATCH_H
#define EL_FUZZ_SCRATCH_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes data to a new memfd and its path to path; returns the fd (close it
 * when done) or aborts: a target that cannot make its input is broken. */
static inline int scratch_memfile(const uint8_t *data, size_t size, char *path, size_t n) {
    int fd = memfd_create("fuzz-input", 0);
    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
        abort();
    snprintf(path, n, "/proc/self/fd/%d", fd);
    return fd;
}

/* The folder scratch files go under. */
static inline const char *scratch_base(void) {
    const char *base = getenv("TMPDIR");
    struct stat st;
    if (base && *base)
        return base;
    return stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

static inline void scratch_dir(char *path, size_t n) {
    snprintf(path, n, "%s/embedlab-fuzz-XXXXXX", scratch_base());
    if (!mkdtemp(path))
        abort();
}

static inline int scratch_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static inline void scratch_rmtree(const char *path) { nftw(path, scratch_remove_one, 16, FTW_DEPTH | FTW_PHYS); }

/* Writes size bytes to dir/name, making the folders on the way when they
 * are missing. open and write, not stdio: under ASan fopen's buffer is a
 * fresh 4 KB allocation for every file. */
static inline void scratch_write(const char *dir, const char *name, const void *data, size_t size) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 && errno == ENOENT) {
        for (char *p = path + strlen(dir) + 1; *p; p++)
            if (*p == '/') {
                *p = 0;
                mkdir(path, 0700);
                *p = '/';
            }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    }
    if (fd < 0)
        abort();
    for (size_t at = 0; at < size;) {
        ssize_t w = write(fd, (const char *)data + at, size - at);
        if (w <= 0)
            abort();
        at += (size_t)w;
    }
    close(fd);
}

/* Removes the files dir/names[0..n), then the folders dir/folders[0..m)
 * (deepest first; a missing one is skipped), then dir. Anything else left
 * in dir (a file the code under test made) falls back to scratch_rmtree.
 * Cheaper than a walk, which opens every folder (under ASan a 32 KB
 * allocation each): for fuzz_aclimdb the walk was a third of an input. */
static inline void scratch_remove(const char *dir, const char *const *names, int n, const char *const *folders, int m) {
    char path[4096];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    for (int i = 0; i < m; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, folders[i]);
        rmdir(path);
    }
    if (rmdir(dir) != 0)
        scratch_rmtree(dir);
}

#endif
