/* db/owner.c: the identity of this process, and whether a run's owner lives. */
#include "db/owner.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

int64_t owner_start_time(int64_t pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%lld/stat", (long long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    /* The command name (field 2) may hold spaces and parentheses: count the
     * fields after its last ')'. The start time is field 22. */
    const char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    p++;
    for (int field = 3; field < 22 && *p; field++) {
        while (*p == ' ')
            p++;
        while (*p && *p != ' ')
            p++;
    }
    return strtoll(p, NULL, 10);
}

void owner_self(Owner *o) {
    memset(o, 0, sizeof *o);
    gethostname(o->host, sizeof o->host - 1);
    o->pid = (int64_t)getpid();
    o->start = owner_start_time(o->pid);
}

double owner_now(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

int owner_alive(const char *host, int64_t pid, int64_t start, double heartbeat, double longest_epoch, double now) {
    char me[256] = "";
    gethostname(me, sizeof me - 1);
    if (host && !strcmp(host, me) && pid > 0 && pid <= 0x7fffffff) {
        if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
            return 0;
        /* The pid exists: it is the owner unless it started at another time
         * (the owner died and the pid was given to a new process). */
        int64_t now_start = owner_start_time(pid);
        return start <= 0 || now_start <= 0 || now_start == start;
    }
    double limit = OWNER_STALE_SECONDS;
    if (3 * longest_epoch > limit)
        limit = 3 * longest_epoch;
    return now - heartbeat <= limit;
}
