/* db/owner.h: who owns a 'running' row of the lab notebook, and whether that
 * owner is still alive.
 *
 * A run records its owner when it starts: the host name, the process id,
 * the process's start time (so that a pid reused by another program is not
 * taken for the owner) and a heartbeat, written at the start and after each
 * epoch. A run is lost when its process is gone:
 *   - on this host: no process with that pid, or one that started at another
 *     time than the owner did;
 *   - on another host (a lab.db on a shared disk), where the pid cannot be
 *     asked: no heartbeat for OWNER_STALE_SECONDS, or for three times the
 *     run's longest epoch when that is longer. */
#ifndef EL_DB_OWNER_H
#define EL_DB_OWNER_H

#include <stdint.h>

#define OWNER_STALE_SECONDS 600.0

typedef struct {
    char host[256];
    int64_t pid;
    int64_t start; /* the process's start time in clock ticks since boot (/proc/PID/stat); 0 if unknown */
} Owner;

/* This process. */
void owner_self(Owner *o);

/* The start time of process pid in clock ticks since boot: 0 when there is no
 * such process or it cannot be read. */
int64_t owner_start_time(int64_t pid);

/* 1 if the owner of a running row is alive, 0 if it is gone. host, pid and
 * start come from the row (start 0 or pid 0: unknown); heartbeat is the Unix
 * time of its last sign of life, longest_epoch its slowest epoch in seconds
 * (0 if none), now the Unix time. An owner on this host is judged by its
 * process, one elsewhere by its heartbeat. */
int owner_alive(const char *host, int64_t pid, int64_t start, double heartbeat, double longest_epoch, double now);

/* The Unix time, in seconds. */
double owner_now(void);

#endif
