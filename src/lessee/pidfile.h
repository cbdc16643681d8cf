/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pid file (-pf): written by the running lessee, read by `lessee -x`
 * and `lessee -r` to reach it, as with dhclient. A pid is trusted only when
 * it names a live process whose command is lessee, so a stale file after a
 * crash never makes us signal a stranger.
 */
#ifndef LESSEE_PIDFILE_H
#define LESSEE_PIDFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Write our pid (O_NOFOLLOW, 0644). 0 or -errno. */
int pidfile_write(const char *path, pid_t pid);

/*
 * The running lessee named by the file: > 0 its pid; 0 when there is none
 * (no file, or a pid that is gone or is not lessee, a zombie included);
 * -1 with why filled when the file cannot be read or holds no pid.
 */
pid_t pidfile_running(const char *path, char *why, size_t why_len);

/* Whether pid has exited (gone, or a zombie its parent has not reaped). */
bool pidfile_exited(pid_t pid);

/*
 * Signal the running lessee and wait, polling every 50 ms for at most
 * wait_ms, for it to exit. 0 when it exited, -1 with why filled otherwise.
 */
int pidfile_signal_and_wait(pid_t pid, int sig, unsigned wait_ms, char *why, size_t why_len);

#endif
