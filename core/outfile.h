/* core/outfile.h: output files that are whole or absent.
 *
 * outfile_open() writes to PATH.tmp.PID in PATH's own folder; outfile_commit()
 * checks every write (the stream's error flag, the flush, fsync and fclose)
 * and only then renames the file onto PATH, so a reader never sees half a
 * file and a previous PATH survives a failed write. On any failure the temp
 * file is removed and the message is "writing PATH: <reason>".
 *
 * A PATH that exists and is not a regular file (a device such as /dev/stdout
 * or /dev/null, a FIFO, a symbolic link) is written in place, every write
 * still checked: renaming onto it would replace the device or link itself.
 *
 *   OutFile o;
 *   if (outfile_open(&o, path) != 0) return -1;
 *   fprintf(o.f, ...);                      // unchecked: commit checks
 *   return outfile_commit(&o);              // or outfile_abort(&o) on an error
 */
#ifndef EL_OUTFILE_H
#define EL_OUTFILE_H

#include <stdio.h>

typedef struct {
    FILE *f;
    char path[4096], tmp[4200];
    int direct; /* writing PATH in place (see above) */
} OutFile;

/* 0, or -1 with a message (o->f is then NULL). */
int outfile_open(OutFile *o, const char *path);
/* 0 once PATH holds everything written; -1 with a message, and no temp file
 * left. Closes o->f either way. */
int outfile_commit(OutFile *o);
/* Closes o->f and removes the temp file; PATH is untouched (unless written in place). NULL-safe. */
void outfile_abort(OutFile *o);

/* The temp name a writer of PATH uses: PATH.tmp.PID. -1 if it does not fit. */
int outfile_temp_name(const char *path, char *out, size_t cap);

#endif
